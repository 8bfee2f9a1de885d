import type { BaseEvent, ResourceEvent } from "../../../events/model.js";
import { defaultFindingFor, subjectOf } from "../../../findings/defaults.js";
import type { FindingSource, FindingSubject } from "../../../findings/finding.js";

/**
 * What an event is about and where it came from, as its default finding has them (Robusta's
 * `event.get_subject()` and `get_source()`); an event the defaults know nothing about but that
 * carries an object is about that object.
 */
export function eventSubject(event: BaseEvent): { subject: FindingSubject; source: FindingSource } {
  const defaults = defaultFindingFor(event);
  const obj = (event as Partial<ResourceEvent>).obj;
  const subject = defaults.subject ?? (obj ? subjectOf(obj) : {});
  return {
    subject: { ...subject, labels: { ...subject.labels }, annotations: { ...subject.annotations } },
    source: defaults.source ?? "NONE",
  };
}
