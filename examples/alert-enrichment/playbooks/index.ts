/**
 * Alertmanager alerts, enriched with the live objects they name. Written as plain objects with
 * definePlaybook. Both fire for the same alert and add to one finding, in the order of `playbooks`.
 */
import { definePlaybook, logsEnricher, markdown, onPrometheusAlert, podEventsEnricher, table } from "@robusta-ts/sdk";

/** KubePodCrashLooping: the crashing container's last log lines and the pod's events. */
export const crashLoopingAlert = definePlaybook({
  name: "KubePodCrashLooping",
  triggers: [onPrometheusAlert({ alertName: "KubePodCrashLooping", status: "all" })],
  async run(event, ctx) {
    if (event.status === "resolved") {
      ctx.addEnrichment([markdown(`The pod is no longer crash-looping (resolved at ${event.endsAt ?? "an unknown time"}).`)], { title: "Resolution" });
      return;
    }
    await logsEnricher(event, ctx, { containerName: event.labels.container, previous: true, tailLines: 20, warnOnMissingLabel: true });
    await podEventsEnricher(event, ctx);
  },
});

/** Every alert: its labels, as Robusta's default enricher shows them. */
export const alertLabels = definePlaybook({
  name: "DefaultAlertLabels",
  triggers: [onPrometheusAlert({ status: "all" })],
  run(event, ctx) {
    const rows = Object.entries(event.labels).sort(([a], [b]) => a.localeCompare(b));
    ctx.addEnrichment([table(rows)], { title: "Alert labels", enrichmentType: "alert_labels", annotations: { attachment: "true" } });
  },
});

/** The order playbooks run in (a module's exports are otherwise read alphabetically). */
export const playbooks = [crashLoopingAlert, alertLabels];
