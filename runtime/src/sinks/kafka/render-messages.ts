/**
 * What the Kafka sink sends for a finding (Robusta's `KafkaSink.send_enrichment`): one JSON
 * message per diff block (Robusta's KubernetesDiffBlock) or JSON block, in the finding's order;
 * other blocks are not sent. Every message is keyed by the finding's fingerprint, so one
 * resource's messages land in one partition, in order, and each fits in `max_message_bytes`:
 * a diff too large loses the changed properties that do not fit (saying how many in
 * `omitted_properties`), a JSON block too large is not sent. Pure.
 */
import type { DiffBlock, Enrichment, Finding, JsonBlock } from "@robusta-ts/sdk";
import { singleRecordBatchBytes, type KeyedMessage } from "./record-size.js";

/** A diff block's message: Robusta's keys and order. */
export interface DiffPayload {
  readonly cluster_name: string;
  readonly resource_name: string;
  readonly resource_namespace: string | null;
  readonly resource_type: string;
  readonly message: string;
  readonly changed_properties: readonly ChangedProperty[];
  /** Only when properties were left out to fit the size limit: how many. */
  readonly omitted_properties?: number;
}

export interface ChangedProperty {
  readonly property: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** What a finding becomes. */
export interface KafkaMessages {
  /** One per diff or JSON block, in order. */
  readonly messages: KeyedMessage[];
  /** What was cut or not sent to stay within the size limit, in words for the log. */
  readonly leftOut: string[];
  /** Enrichments with blocks but no diff or JSON block, whose content is not sent (Robusta warns of each). */
  readonly ignoredEnrichments: number;
}

/**
 * A diff block's message. The resource is the finding's subject, as in Robusta, falling back to
 * the block's own kind, name and namespace when the subject does not say.
 */
export function diffPayload(finding: Finding, block: DiffBlock, clusterName: string): DiffPayload {
  const resourceType = finding.subject.subjectType ?? block.kind.toLowerCase();
  return {
    cluster_name: clusterName,
    resource_name: finding.subject.name ?? block.name,
    resource_namespace: finding.subject.namespace ?? block.namespace ?? null,
    resource_type: resourceType,
    message: `${resourceType} properties change`,
    // An absent side is null, as Python's None.
    changed_properties: block.diffs.map((diff) => ({ property: diff.path, old: diff.old ?? null, new: diff.new ?? null })),
  };
}

/**
 * A JSON block's message: its object with `cluster_name` added (replacing one it has, in place,
 * as Python's dict assignment does). A value that is not an object (Robusta would fail on it) is
 * sent as `{"value": ..., "cluster_name": ...}`.
 */
export function jsonPayload(block: JsonBlock, clusterName: string): Record<string, unknown> {
  const { value } = block;
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  return isObject ? { ...(value as Record<string, unknown>), cluster_name: clusterName } : { value, cluster_name: clusterName };
}

/** The messages for `finding`, each fitting in a record batch of `maxMessageBytes`. */
export function renderKafkaMessages(finding: Finding, clusterName: string, maxMessageBytes: number): KafkaMessages {
  const key = finding.fingerprint;
  const keyBytes = Buffer.byteLength(key);
  const limit: Limit = { bytes: maxMessageBytes, fits: (valueBytes) => singleRecordBatchBytes(keyBytes, valueBytes) <= maxMessageBytes };
  const messages: KeyedMessage[] = [];
  const leftOut: string[] = [];
  let ignoredEnrichments = 0;

  finding.enrichments.forEach((enrichment, index) => {
    const blocks = enrichment.blocks.filter((block): block is DiffBlock | JsonBlock => block.type === "diff" || block.type === "json");
    if (blocks.length === 0 && enrichment.blocks.length > 0) ignoredEnrichments++;
    for (const block of blocks) {
      const { value, note } =
        block.type === "diff" ? renderDiff(diffPayload(finding, block, clusterName), block, limit) : renderJson(jsonPayload(block, clusterName), enrichment, index, limit);
      if (value !== undefined) messages.push({ key, value });
      if (note !== undefined) leftOut.push(note);
    }
  });
  return { messages, leftOut, ignoredEnrichments };
}

/** The size limit, and whether a value of so many bytes fits in it with the finding's key. */
interface Limit {
  readonly bytes: number;
  readonly fits: (valueBytes: number) => boolean;
}

/** A message's value, and what was left out of it (or why it is not sent). */
interface Rendered {
  readonly value?: string;
  readonly note?: string;
}

function renderDiff(payload: DiffPayload, block: DiffBlock, limit: Limit): Rendered {
  const what = `the diff of ${block.kind} ${[block.namespace, block.name].filter(Boolean).join("/")}`;
  const fitted = jsonOrError(() => fitDiff(payload, limit.fits));
  if (fitted === "error") return { note: `${what} was not sent: its values cannot be written as JSON` };
  if (fitted === undefined) return { note: `${what} was not sent: even without its changed properties it is over max_message_bytes (${limit.bytes})` };
  if (fitted.omitted === 0) return { value: fitted.value };
  return {
    value: fitted.value,
    note: `${what} was sent without ${fitted.omitted} of its ${block.diffs.length} changed properties, to stay within max_message_bytes (${limit.bytes})`,
  };
}

function renderJson(payload: Record<string, unknown>, enrichment: Enrichment, index: number, limit: Limit): Rendered {
  const what = `a JSON block of enrichment ${index + 1}${enrichment.title ? ` ("${enrichment.title}")` : ""}`;
  const value = jsonOrError(() => JSON.stringify(payload));
  if (value === "error") return { note: `${what} was not sent: its value cannot be written as JSON` };
  const bytes = Buffer.byteLength(value);
  if (!limit.fits(bytes)) return { note: `${what} was not sent: its ${bytes} bytes are over max_message_bytes (${limit.bytes})` };
  return { value };
}

/**
 * The diff's JSON, whole when it fits; otherwise with the changed properties that fit, in order,
 * and `omitted_properties`; undefined when not even none fit.
 */
function fitDiff(payload: DiffPayload, fits: (valueBytes: number) => boolean): { value: string; omitted: number } | undefined {
  const whole = JSON.stringify(payload);
  if (fits(Buffer.byteLength(whole))) return { value: whole, omitted: 0 };
  const total = payload.changed_properties.length;
  // Counted with every property omitted, so the count's digits never outgrow what was measured.
  let size = Buffer.byteLength(JSON.stringify({ ...payload, changed_properties: [], omitted_properties: total }));
  if (!fits(size)) return undefined;
  const kept: ChangedProperty[] = [];
  for (const property of payload.changed_properties) {
    const added = Buffer.byteLength(JSON.stringify(property)) + (kept.length > 0 ? 1 : 0); // the comma
    if (!fits(size + added)) continue;
    kept.push(property);
    size += added;
  }
  const omitted = total - kept.length;
  return { value: JSON.stringify({ ...payload, changed_properties: kept, omitted_properties: omitted }), omitted };
}

/** What `write` gives, or "error" when JSON cannot hold the values (BigInt, cycles). */
function jsonOrError<T>(write: () => T): T | "error" {
  try {
    return write();
  } catch {
    return "error";
  }
}
