import type { CoreEvent, EventsV1Event, KubernetesEventObject } from "./objects.js";

/** A Kubernetes Event reduced to what people read, whichever API version it came from. */
export interface EventRow {
  type: string;
  reason: string;
  message: string;
  /** When it last happened, RFC 3339. */
  time: string;
  count: number;
}

/** Normalises an events.k8s.io/v1 or core/v1 Event. */
export function eventRow(event: KubernetesEventObject): EventRow {
  const v1 = event as EventsV1Event;
  const core = event as CoreEvent;
  const time =
    v1.series?.lastObservedTime ??
    core.lastTimestamp ??
    v1.deprecatedLastTimestamp ??
    v1.eventTime ??
    core.eventTime ??
    core.firstTimestamp ??
    event.metadata?.creationTimestamp ??
    "";
  return {
    type: event.type ?? "",
    reason: event.reason ?? "",
    message: v1.note ?? core.message ?? "",
    time,
    count: v1.series?.count ?? core.count ?? v1.deprecatedCount ?? 1,
  };
}
