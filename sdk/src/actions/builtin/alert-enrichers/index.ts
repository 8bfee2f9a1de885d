/** Enrichers of specific Prometheus alerts, behind Robusta's default alert playbooks (Robusta §5.2). */
import type { AnyAction } from "../../define.js";

export const alertEnricherActions: AnyAction[] = [];
