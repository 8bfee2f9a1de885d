/**
 * Alertmanager alerts, enriched with the live objects they name. Every playbook an alert fires
 * adds to the same finding, in the order the methods are written.
 */
import {
  links,
  logsEnricher,
  markdown,
  onPrometheusAlert,
  Playbook,
  podEventsEnricher,
  table,
  type Context,
  type PrometheusAlertEvent,
} from "@robusta-ts/sdk";

export class AlertEnrichment extends Playbook {
  /** KubePodCrashLooping: the log of the container that crashed, and the pod's warnings. */
  @onPrometheusAlert({ alertName: "KubePodCrashLooping" })
  async crashLooping(event: PrometheusAlertEvent, ctx: Context) {
    await logsEnricher(event, ctx, { containerName: event.labels.container, previous: true, tailLines: 50, warnOnMissingLabel: true });
    await podEventsEnricher(event, ctx, { includedTypes: ["Warning"] });
  }

  /** Every alert, firing or resolved: its runbook, if it has one, and its labels. */
  @onPrometheusAlert({ status: "all" })
  context(event: PrometheusAlertEvent, ctx: Context) {
    if (event.status === "resolved") {
      ctx.addEnrichment([markdown(`Resolved at ${event.endsAt ?? "an unknown time"}.`)], { title: "Resolution" });
    }
    const runbook = event.annotations.runbook_url;
    if (runbook) ctx.addEnrichment([links([{ text: "Runbook", url: runbook }])], { title: "Runbook" });
    const rows = Object.entries(event.labels).sort(([a], [b]) => a.localeCompare(b));
    ctx.addEnrichment([table(rows, { headers: ["label", "value"] })], { title: "Alert labels", enrichmentType: "alert_labels" });
  }
}
