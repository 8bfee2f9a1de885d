/**
 * What a sink is to the runtime. A sink renders and sends; the runtime routes findings to it
 * (scope, stop, activity, grouping, dedup: runtime/src/routing) and feeds it through its own
 * bounded delivery queue with retries (runtime/src/delivery), so a slow or failing sink never
 * holds up intake or another sink.
 */
import type { Finding, Logger } from "@robusta-ts/sdk";
import type { RoutingParams } from "../routing/params.js";

/** Where a sent message is, so a later one can reply to it or edit it. The ids are the service's own. */
export interface MessageRef {
  /** The channel (Slack channel id, Teams team/channel) the message is in. */
  readonly channel: string;
  /** The message's id in that channel (a Slack `ts`, a Teams message id). */
  readonly id: string;
}

/** How one finding is to be sent. */
export interface DeliveryOptions {
  /** Reply in this message's thread: a group's summary, or the message whose button was pressed. */
  readonly thread?: MessageRef;
  /** Aborted when the runner stops waiting (shutdown). */
  readonly signal?: AbortSignal;
}

/** The counts a grouped sink's summary message shows (Robusta's summary mode, §8.5). */
export interface GroupSummary {
  /** What every finding of the group shares, as [attribute, value] pairs, e.g. [["namespace", "prod"]]. */
  readonly groupedBy: readonly (readonly [string, string])[];
  /** The count table's key columns (`summary.by`), e.g. ["notification"] for `identifier`. */
  readonly columns: readonly string[];
  /** One row per distinct value of the key columns, in first-seen order. */
  readonly rows: readonly { readonly values: readonly string[]; readonly firing: number; readonly resolved: number }[];
  readonly firing: number;
  readonly resolved: number;
  /** When the group started (ISO 8601); it lasts `grouping.interval` seconds. */
  readonly since: string;
}

/** What a sink that can thread offers for grouping: a summary message it can post and edit. */
export interface ThreadSupport {
  /** Posts a new summary message to `destination`; findings of the group reply under it. */
  postSummary(destination: string, summary: GroupSummary, options?: DeliveryOptions): Promise<MessageRef>;
  /** Edits a posted summary with new counts. */
  updateSummary(ref: MessageRef, summary: GroupSummary, options?: DeliveryOptions): Promise<void>;
}

/** What the runtime gives a sink when it starts: for sinks that act on their own (Slack buttons). */
export interface SinkServices {
  readonly logger: Logger;
  /**
   * Runs an action as a button press asks (origin "callback") and returns the findings it made for
   * this sink, not yet delivered. Throws when the action is unknown or its parameters are invalid.
   */
  runAction(request: { readonly action: string; readonly params: Readonly<Record<string, unknown>> }): Promise<readonly Finding[]>;
  /** Queues a finding on this sink's delivery queue (with retries); false when the queue is full. */
  deliver(finding: Finding, options?: { readonly thread?: MessageRef }): boolean;
}

/** Where findings go. `write` may throw: a DeliveryError says whether to retry; other errors are retried as network failures. */
export interface Sink {
  readonly name: string;
  /** Whether playbooks that name no sinks send here (Robusta's `default: true`). */
  readonly isDefault: boolean;
  /** Scope, match, activity, mute intervals, stop, grouping and dedup; none means "accept everything". */
  readonly routing?: RoutingParams;
  /** Sends one finding; returns where the message went when the sink can thread or edit it. */
  write(finding: Finding, options?: DeliveryOptions): Promise<MessageRef | void>;
  /**
   * Where `finding` goes (its channel after channel_override, its webhook after webhook_override).
   * Findings for one destination are sent in order; grouping and pacing are per destination.
   */
  destination?(finding: Finding): string;
  /** Present when the sink can post a summary and reply in its thread (grouping's summary mode). */
  readonly threads?: ThreadSupport;
  /** Starts what the sink runs on its own (a Socket Mode connection). Failures are logged; the sink still sends. */
  start?(services: SinkServices): Promise<void>;
  /**
   * Answers a request the service sends to the runner (Slack's interactivity request URL), mounted
   * at POST /sinks/<name>/<rest>. Only sinks that take such requests have it.
   */
  handleRequest?(request: Request): Promise<Response>;
  /** Flushes and releases what the sink holds. */
  close?(): Promise<void>;
}

/** The settings every sink shares, once validated: handed to each sink's constructor. */
export interface SinkBase {
  readonly name: string;
  readonly isDefault: boolean;
  readonly routing: RoutingParams;
}

/** What building a sink may use, besides its own parameters. */
export interface SinkBuildEnv {
  readonly clusterName: string;
  /** `globalConfig` (signing_key, account_id, ...). */
  readonly globalConfig: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
}
