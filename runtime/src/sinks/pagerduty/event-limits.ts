/**
 * PagerDuty's documented Events API v2 limits, and fitting an event into the 512 KB an event may
 * take: the custom details give way first (the last, longest ones first: cut with "…" and a note,
 * or left out and counted), then the links. Pure.
 */
import { createHash } from "node:crypto";

/** `payload.summary`: at most 1024 characters. */
export const SUMMARY_MAX_CHARS = 1024;
/** `dedup_key`: at most 255 characters. */
export const DEDUP_KEY_MAX_CHARS = 255;
/** A whole event: at most 512 KB. */
export const EVENT_MAX_BYTES = 512 * 1024;

/** A link shown on the alert or change event. */
export interface PagerdutyLink {
  readonly href: string;
  readonly text: string;
}

/** What fitting needs of an event: its details and links. */
export interface FittableEvent {
  readonly payload: { readonly custom_details: Readonly<Record<string, string>> };
  readonly links: readonly PagerdutyLink[];
}

const CUT_NOTE = " ✂️ cut to fit PagerDuty's 512 KB event limit";
const LEFT_OUT_KEY = "✂️ Left out";
const leftOut = (count: number): string => `${count} more detail${count === 1 ? "" : "s"}: PagerDuty takes events of up to 512 KB`;

/** The size of `value` as sent: compact JSON, UTF-8. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), "utf8");

/**
 * A dedup key PagerDuty takes: the fingerprint itself (Robusta's sha256, or Alertmanager's), or,
 * for a longer one, its sha256, so a trigger and its resolve still meet.
 */
export const dedupKeyOf = (fingerprint: string): string =>
  fingerprint.length <= DEDUP_KEY_MAX_CHARS ? fingerprint : createHash("sha256").update(fingerprint).digest("hex");

/** Ends before `end`, or one earlier so as not to split a surrogate pair. */
const wholeEnd = (text: string, end: number): number => (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1)) ? end - 1 : end);

/**
 * The longest start of `text` that, followed by "…", `fits`; "" when none does. Searches on string
 * indexes (slices are cheap) rather than code points: state messages run to hundreds of KB.
 */
function cutToFit(text: string, fits: (candidate: string) => boolean): string {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(`${text.slice(0, wholeEnd(text, mid))}…`)) low = mid;
    else high = mid - 1;
  }
  const end = wholeEnd(text, low);
  return end === 0 ? "" : `${text.slice(0, end)}…`;
}

/** `event` within `maxBytes` (compact JSON, UTF-8), its details and then its links cut down as needed. */
export function fitEvent<E extends FittableEvent>(event: E, maxBytes: number = EVENT_MAX_BYTES): E {
  if (jsonBytes(event) <= maxBytes) return event;
  const build = (details: Readonly<Record<string, string>>, removed: number, links = event.links): E => ({
    ...event,
    payload: { ...event.payload, custom_details: removed > 0 ? { ...details, [LEFT_OUT_KEY]: leftOut(removed) } : details },
    links,
  });
  const details: Record<string, string> = { ...event.payload.custom_details };
  let removed = 0;
  for (const key of Object.keys(details).reverse()) {
    const value = details[key]!;
    // A string's share of the event is its own JSON size, so the rest is measured once.
    const rest = jsonBytes(build({ ...details, [key]: "" }, removed)) - jsonBytes("");
    const cut = cutToFit(value, (candidate) => rest + jsonBytes(`${candidate}${CUT_NOTE}`) <= maxBytes);
    if (cut !== "") return build({ ...details, [key]: `${cut}${CUT_NOTE}` }, removed);
    delete details[key];
    removed++;
    if (jsonBytes(build(details, removed)) <= maxBytes) return build(details, removed);
  }
  // Details alone could not make room: links go too, from the last.
  const links = [...event.links];
  while (links.length > 0 && jsonBytes(build(details, removed, links)) > maxBytes) links.pop();
  return build(details, removed, links);
}
