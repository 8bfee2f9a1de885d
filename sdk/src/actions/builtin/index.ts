import { logsEnricher } from "./logs-enricher.js";
import { podEventsEnricher } from "./pod-events-enricher.js";

export { logsEnricher, podEventsEnricher };

/** The built-in actions, available by name to every YAML playbook. */
export const builtinActions = [logsEnricher, podEventsEnricher];
