/** Prometheus queries and graphs, and Alertmanager silences (Robusta §5.2, §5.6). */
import type { AnyAction } from "../../define.js";
import { addSilence } from "./add-silence.js";
import { alertDefinitionEnricher } from "./alert-definition-enricher.js";
import { alertGraphEnricher } from "./alert-graph-enricher.js";
import { customGraphEnricher } from "./custom-graph-enricher.js";
import { deleteSilence } from "./delete-silence.js";
import { getSilences } from "./get-silences.js";
import { graphEnricher } from "./graph-enricher.js";
import { prometheusEnricher } from "./prometheus-enricher.js";

export {
  addSilence,
  alertDefinitionEnricher,
  alertGraphEnricher,
  customGraphEnricher,
  deleteSilence,
  getSilences,
  graphEnricher,
  prometheusEnricher,
};

/** The Prometheus and Alertmanager actions, for the built-in registry. */
export const prometheusActions: AnyAction[] = [
  prometheusEnricher,
  customGraphEnricher,
  graphEnricher,
  alertGraphEnricher,
  alertDefinitionEnricher,
  addSilence,
  getSilences,
  deleteSilence,
];
