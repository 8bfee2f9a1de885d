/** Remediation and operations: changes to the cluster, Jobs, HTTP calls (Robusta §5.6). */
import type { AnyAction } from "../../define.js";

export const remediationActions: AnyAction[] = [];
