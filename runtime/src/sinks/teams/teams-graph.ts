/**
 * `ms_teams_sink` in app mode (and Robusta's `ms_teams_graph_sink`): findings posted to a channel
 * through Microsoft Graph, files uploaded to the channel's Files and linked from the card, and
 * grouped findings threaded under a summary message that is edited as counts change.
 *
 * What Graph allows decides what works: posting, replying and editing channel messages need a
 * signed-in user (delegated ChannelMessage.Send / ChannelMessage.ReadWrite), so a service account
 * (username/password) is what makes this mode post. An app signed in as itself (client
 * credentials) can upload files, but Graph refuses its channel posts except for message import.
 */
import type { Finding, FileBlock, Logger } from "@robusta-ts/sdk";
import { systemDeliveryClock, type DeliveryClock } from "../../delivery/clock.js";
import { DeliveryError } from "../../delivery/delivery-error.js";
import type { RoutingParams } from "../../routing/params.js";
import { resolveOverride } from "../common/destination-override.js";
import type { DeliveryOptions, GroupSummary, MessageRef, Sink, SinkBase, ThreadSupport } from "../sink.js";
import { TeamsGraphApi } from "./graph-api.js";
import { GraphTokenProvider } from "./graph-token.js";
import { renderTeamsCard, renderTeamsSummary } from "./render-card.js";
import type { GraphSettings } from "./teams-params.js";

export interface TeamsGraphSinkOptions {
  readonly settings: GraphSettings;
  readonly clusterName: string;
  readonly logger: Logger;
  /** Token expiry and Retry-After dates use it. Default: the system clock. */
  readonly clock?: DeliveryClock;
  /** For the token endpoint and upload session chunks. Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** The card's byte budget. Default 28 KB. */
  readonly maxBytes?: number;
}

/** A channel: the team it is in and its id. */
export interface ChannelAddress {
  readonly teamId: string;
  readonly channelId: string;
}

const decode = (id: string): string => {
  try {
    return decodeURIComponent(id.trim());
  } catch {
    return id.trim();
  }
};

/**
 * "<team_id>/<channel_id>" or "<channel_id>" (in the default team), as Robusta reads an override.
 * Channel ids are often copied URL-encoded from a channel link, so they are decoded.
 */
export function channelAddress(destination: string, defaultTeamId: string): ChannelAddress {
  const slash = destination.indexOf("/");
  if (slash < 0) return { teamId: decode(defaultTeamId), channelId: decode(destination) };
  return { teamId: decode(destination.slice(0, slash)), channelId: decode(destination.slice(slash + 1)) };
}

const addressKey = (address: ChannelAddress): string => `${address.teamId}/${address.channelId}`;

// What resolveOverride returns when the finding lacks what channel_override names.
const UNRESOLVED = "\u0000unresolved";
/** Uploaded files remembered per finding, so a retried send links them instead of uploading again. */
const MAX_REMEMBERED_UPLOADS = 500;

export class TeamsGraphSink implements Sink {
  readonly name: string;
  readonly isDefault: boolean;
  readonly routing: RoutingParams;
  readonly threads: ThreadSupport;
  private readonly api: TeamsGraphApi;
  private readonly tokens: GraphTokenProvider;
  private readonly log: Logger;
  private readonly uploaded = new Map<string, string>();
  private readonly reported = new Set<string>();
  private editsRefused = false;

  constructor(
    base: SinkBase,
    private readonly options: TeamsGraphSinkOptions,
  ) {
    this.name = base.name;
    this.isDefault = base.isDefault;
    this.routing = base.routing;
    const { settings } = options;
    const clock = options.clock ?? systemDeliveryClock;
    this.tokens = new GraphTokenProvider({
      authorityHost: settings.authorityHost,
      tenantId: settings.tenantId,
      clientId: settings.clientId,
      ...(settings.clientSecret !== undefined && { clientSecret: settings.clientSecret }),
      ...(settings.username !== undefined && { username: settings.username }),
      ...(settings.password !== undefined && { password: settings.password }),
      scope: settings.scope,
      clock,
      ...(options.fetch && { fetch: options.fetch }),
    });
    this.api = new TeamsGraphApi({ graphEndpoint: settings.graphEndpoint, tokens: this.tokens, clock, ...(options.fetch && { fetch: options.fetch }) });
    this.log = options.logger.child({ sink: base.name });
    this.threads = {
      postSummary: (destination, summary, delivery) => this.postSummary(destination, summary, delivery),
      updateSummary: (ref, summary, delivery) => this.updateSummary(ref, summary, delivery),
    };
  }

  /** The channel `finding` goes to, or undefined when channel_override does not resolve and send_to_default_if_missing is off. */
  private route(finding: Finding): ChannelAddress | undefined {
    const { channelOverride, channelId, teamId, sendToDefaultIfMissing } = this.options.settings;
    const resolved = resolveOverride(channelOverride, UNRESOLVED, finding, this.options.clusterName).trim();
    if (resolved !== UNRESOLVED && resolved !== "") return channelAddress(resolved, teamId);
    if (channelOverride && !sendToDefaultIfMissing) return undefined;
    return channelAddress(channelId, teamId);
  }

  /** "<team_id>/<channel_id>" of the channel `finding` goes to. */
  destination(finding: Finding): string {
    const { channelId, teamId } = this.options.settings;
    return addressKey(this.route(finding) ?? channelAddress(channelId, teamId));
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<MessageRef | void> {
    const address = options.thread ? channelAddress(options.thread.channel, this.options.settings.teamId) : this.route(finding);
    if (address === undefined) {
      this.log.debug({ finding: finding.title }, "channel_override did not resolve and send_to_default_if_missing is off: finding dropped");
      return;
    }
    const fileLinks = this.options.settings.sendFiles ? await this.upload(finding, address, options.signal) : undefined;
    const message = renderTeamsCard(finding, {
      clusterName: this.options.clusterName,
      ...(this.options.maxBytes !== undefined && { maxBytes: this.options.maxBytes }),
      ...(fileLinks && { fileLinks }),
    });
    const { teamId, channelId } = address;
    if (options.thread) {
      await this.api.postReply(teamId, channelId, options.thread.id, message, options.signal);
      // Teams threads are one level deep: replying to a reply means replying to its root.
      return { channel: addressKey(address), id: options.thread.id };
    }
    const id = await this.api.postMessage(teamId, channelId, message, options.signal);
    return { channel: addressKey(address), id };
  }

  /**
   * Uploads the finding's files to the channel's folder. A file Graph will not take (no Files
   * permission, a blocked type) is shown in the card instead; failures worth retrying fail the
   * send, and files already uploaded are not uploaded again.
   */
  private async upload(finding: Finding, address: ChannelAddress, signal: AbortSignal | undefined): Promise<Map<string, string>> {
    const links = new Map<string, string>();
    const files = finding.enrichments.flatMap((enrichment) => enrichment.blocks.filter((block): block is FileBlock => block.type === "file"));
    for (const file of files) {
      if (links.has(file.filename) || file.contents.length === 0) continue;
      const key = `${finding.id}\u0000${addressKey(address)}\u0000${file.filename}`;
      let url = this.uploaded.get(key);
      if (url === undefined) {
        try {
          url = await this.api.uploadFile(address.teamId, address.channelId, file.filename, Buffer.from(file.contents, file.encoding === "utf8" ? "utf8" : "base64"), signal);
        } catch (error) {
          if (!(error instanceof DeliveryError) || error.retryable) throw error;
          this.reportOnce(error.message, "file not uploaded; its last lines are shown in the card instead");
          continue;
        }
        this.remember(key, url);
      }
      links.set(file.filename, url);
    }
    return links;
  }

  private remember(key: string, url: string): void {
    this.uploaded.set(key, url);
    if (this.uploaded.size > MAX_REMEMBERED_UPLOADS) this.uploaded.delete(this.uploaded.keys().next().value!);
  }

  private reportOnce(reason: string, message: string): void {
    if (this.reported.has(reason)) return;
    this.reported.add(reason);
    this.log.warn({ reason }, message);
  }

  private async postSummary(destination: string, summary: GroupSummary, options: DeliveryOptions = {}): Promise<MessageRef> {
    const { teamId, channelId } = channelAddress(destination, this.options.settings.teamId);
    const message = renderTeamsSummary(summary, this.options.clusterName, this.options.maxBytes !== undefined ? { maxBytes: this.options.maxBytes } : {});
    const id = await this.api.postMessage(teamId, channelId, message, options.signal);
    return { channel: addressKey({ teamId, channelId }), id };
  }

  /**
   * Edits the summary with new counts (PATCH). Graph allows that only to the user who posted it;
   * when it refuses (403), the summary keeps its first counts and the findings still go into its
   * thread: later edits are not tried again, and that is logged once.
   */
  private async updateSummary(ref: MessageRef, summary: GroupSummary, options: DeliveryOptions = {}): Promise<void> {
    if (this.editsRefused) return;
    const { teamId, channelId } = channelAddress(ref.channel, this.options.settings.teamId);
    const message = renderTeamsSummary(summary, this.options.clusterName, this.options.maxBytes !== undefined ? { maxBytes: this.options.maxBytes } : {});
    try {
      await this.api.updateMessage(teamId, channelId, ref.id, message, options.signal);
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.status !== 403) throw error;
      this.editsRefused = true;
      this.log.warn({ reason: error.message }, "Graph refuses to edit the group summary; summaries keep their first counts");
    }
  }
}
