/** Prometheus queries and graphs, and Alertmanager silences (Robusta §5.2, §5.6). */
import type { AnyAction } from "../../define.js";

export const prometheusActions: AnyAction[] = [];
