/** The runner's Prometheus metrics, on its own registry (served on GET /metrics). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "robusta_" });
  const metric = { registers: [registry] };
  return {
    registry,
    intake: new Counter({
      ...metric,
      name: "robusta_intake_events_total",
      help: "Incoming events and manual runs by endpoint and result (accepted, rejected_queue_full, rejected_busy, invalid, failed, too_large, unauthorized).",
      labelNames: ["endpoint", "result"] as const,
    }),
    queueSize: new Gauge({ ...metric, name: "robusta_queue_size", help: "Events waiting in the intake queue." }),
    queueCapacity: new Gauge({ ...metric, name: "robusta_queue_capacity", help: "How many events the intake queue holds." }),
    playbookRuns: new Counter({
      ...metric,
      name: "robusta_playbook_runs_total",
      help: "Playbook runs by playbook and outcome (ok, failed, timed_out).",
      labelNames: ["playbook", "outcome"] as const,
    }),
    playbookSeconds: new Histogram({
      ...metric,
      name: "robusta_playbook_duration_seconds",
      help: "Time a playbook run took.",
      labelNames: ["playbook"] as const,
      buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 2, 10, 60],
    }),
    actionRuns: new Counter({
      ...metric,
      name: "robusta_action_runs_total",
      help: "Action calls by action and outcome (ok, failed, timed_out, skipped).",
      labelNames: ["action", "outcome"] as const,
    }),
    dispatchErrors: new Counter({
      ...metric,
      name: "robusta_dispatch_errors_total",
      help: "Events whose dispatch failed outside any playbook.",
    }),
    watchEvents: new Counter({
      ...metric,
      name: "robusta_watch_events_total",
      help: "Changes seen by the watches, by kind, operation and result (forwarded, filtered).",
      labelNames: ["kind", "operation", "result"] as const,
    }),
    watchRestarts: new Counter({
      ...metric,
      name: "robusta_watch_restarts_total",
      help: "Watches restarted after a failure, by kind and reason (HTTP status or error).",
      labelNames: ["kind", "reason"] as const,
    }),
    watchRelists: new Counter({
      ...metric,
      name: "robusta_watch_relists_total",
      help: "Full lists after the first, by kind (after 410 Gone or a restart without a resourceVersion).",
      labelNames: ["kind"] as const,
    }),
    watchLastEvent: new Gauge({
      ...metric,
      name: "robusta_watch_last_event_timestamp_seconds",
      help: "When each watch last saw a change, as a Unix time (time() minus it is the age).",
      labelNames: ["kind"] as const,
    }),
    watchObjects: new Gauge({
      ...metric,
      name: "robusta_watch_objects",
      help: "Objects held for each watched kind.",
      labelNames: ["kind"] as const,
    }),
    watchSynced: new Gauge({
      ...metric,
      name: "robusta_watch_synced",
      help: "1 once a watch has completed its initial list.",
      labelNames: ["kind"] as const,
    }),
    configReloads: new Counter({
      ...metric,
      name: "robusta_config_reloads_total",
      help: "Reloads of the configuration file by result (ok, invalid: the last good configuration kept running).",
      labelNames: ["result"] as const,
    }),
    configValid: new Gauge({
      ...metric,
      name: "robusta_config_last_reload_successful",
      help: "1 when the configuration file as it is now is running; 0 when its last change was invalid and refused.",
    }),
    findings: new Counter({
      ...metric,
      name: "robusta_findings_total",
      help:
        "Findings by sink and result: delivered; failed (a permanent error or the retry budget spent); abandoned (shutdown came first); dropped_queue_full; grouped_ignored (within grouping's ignore_first); skipped_scope, skipped_inactive, skipped_muted, skipped_duplicate, skipped_stopped (routing).",
      labelNames: ["sink", "result"] as const,
    }),
    sinkRetries: new Counter({
      ...metric,
      name: "robusta_sink_retries_total",
      help: "Sends retried after a failure (rate limit, server error, network), by sink.",
      labelNames: ["sink"] as const,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
