/**
 * Robusta's `service_now_sink`: a firing finding opens an incident (unless one opened for the same
 * fingerprint is still open) and gets the finding's files attached; a resolved finding resolves
 * that incident. Each write is one attempt; the delivery queue retries.
 */
import type { Finding, Logger } from "@robusta-ts/sdk";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import { BoundedCache } from "../common/bounded-cache.js";
import { findingFiles } from "../common/files.js";
import type { HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { instanceUrl, type ServiceNowSinkParams } from "./params.js";
import { correlationIdOf, renderIncident } from "./render-incident.js";
import { ServiceNowApi, type IncidentRef } from "./servicenow-api.js";

export interface ServiceNowSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
  readonly logger: Logger;
}

/** An incident created for a finding whose files are not all attached yet. */
interface Opened extends IncidentRef {
  attached: number;
}

/** Findings remembered between a created incident and its last attachment: how many (the least recently used go first), how long. */
const OPENED_MEMORY = { maxEntries: 1000, ttlMs: 24 * 3600_000 };

export class ServiceNowSink extends BaseSink {
  private readonly api: ServiceNowApi;
  // By finding id: a retry after a failed attachment goes on with the same incident.
  private readonly opened: BoundedCache<string, Opened>;
  private readWarned = false;

  constructor(
    base: SinkBase,
    private readonly params: Pick<ServiceNowSinkParams, "instance" | "username" | "password" | "caller_id" | "send_resolved" | "resolved_state" | "close_code">,
    private readonly options: ServiceNowSinkOptions,
  ) {
    super(base);
    this.api = new ServiceNowApi(instanceUrl(params.instance)!, params.username, params.password, options);
    this.opened = new BoundedCache({ ...OPENED_MEMORY, now: options.now ?? Date.now });
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    if (finding.status === "resolved") return this.resolve(finding, options.signal);
    let opened = this.opened.get(finding.id);
    if (!opened) {
      const existing = await this.findOpenForCreate(finding, options.signal);
      if (existing) {
        this.options.logger.debug({ sink: this.name, incident: existing.number }, "service_now_sink: an incident for this finding is open already; not opening another");
        return;
      }
      const incident = await this.api.createIncident(renderIncident(finding, { clusterName: this.options.clusterName, callerId: this.params.caller_id }), options.signal);
      opened = { ...incident, attached: 0 };
      this.opened.set(finding.id, opened);
    }
    await this.attachFiles(finding, opened, options.signal);
    this.opened.delete(finding.id);
  }

  /** Attaches the files not attached yet; a failure says which file and incident. */
  private async attachFiles(finding: Finding, opened: Opened, signal: AbortSignal | undefined): Promise<void> {
    const files = findingFiles(finding);
    for (; opened.attached < files.length; opened.attached++) {
      const file = files[opened.attached]!;
      try {
        await this.api.attach(opened.sysId, file, signal);
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        if (!error.retryable) this.opened.delete(finding.id);
        throw new DeliveryError(`attaching "${file.filename}" to ${opened.number} (created): ${error.message}`, {
          retryable: error.retryable,
          ...(error.status !== undefined && { status: error.status }),
          ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
          cause: error,
        });
      }
    }
  }

  /**
   * The open incident for this finding's fingerprint. A user who may create incidents but not read
   * them (403) still gets incidents, without dedup, as in Robusta.
   */
  private async findOpenForCreate(finding: Finding, signal: AbortSignal | undefined): Promise<IncidentRef | undefined> {
    try {
      return await this.api.findOpenIncident(correlationIdOf(finding.fingerprint), this.params.resolved_state, signal);
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.status !== 403) throw error;
      if (!this.readWarned) {
        this.readWarned = true;
        this.options.logger.warn({ sink: this.name, error: error.message }, "service_now_sink: cannot read incidents; opening one per finding, without dedup or resolve");
      }
      return undefined;
    }
  }

  private async resolve(finding: Finding, signal: AbortSignal | undefined): Promise<void> {
    if (!this.params.send_resolved) return;
    const incident = await this.api.findOpenIncident(correlationIdOf(finding.fingerprint), this.params.resolved_state, signal);
    if (!incident) {
      this.options.logger.info({ sink: this.name, fingerprint: finding.fingerprint }, "service_now_sink: resolved finding has no open incident to resolve");
      return;
    }
    // A default instance refuses to resolve or close an incident without a resolution code and notes (a data policy).
    await this.api.updateIncident(
      incident.sysId,
      { state: this.params.resolved_state, close_code: this.params.close_code, close_notes: `Robusta: the finding resolved in cluster ${this.options.clusterName}.` },
      signal,
    );
  }
}
