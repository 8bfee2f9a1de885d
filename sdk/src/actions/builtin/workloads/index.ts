/** Enrichers of pods, nodes and workloads (Robusta §5.4). */
import type { AnyAction } from "../../define.js";

export const workloadActions: AnyAction[] = [];
