/**
 * The separate-forwarder mode: changes are posted to a runner's /api/handle as batches of
 * kubewatch CloudEvents, from a bounded buffer, with retries. Unlike kubewatch (one blocking POST
 * per event, no retry, response ignored), a slow or restarting runner costs a retry, not an event;
 * what cannot be kept is counted and logged with its reason.
 */
import { randomUUID } from "node:crypto";
import type { KubernetesChangeEvent, Logger } from "@robusta-ts/sdk";
import { fetch } from "undici";

export interface ForwarderOptions {
  /** The runner's base URL, e.g. http://robusta-runner. */
  readonly runnerUrl: string;
  readonly authToken?: string;
  readonly logger: Logger;
  readonly batchSize?: number;
  /** Changes held while the runner is unreachable; beyond it new changes are refused. */
  readonly bufferCapacity?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Told of every change that is dropped, and why. */
  readonly onDropped?: (count: number, reason: string) => void;
  readonly onSent?: (count: number) => void;
}

const VERB = { create: "Created", update: "Updated", delete: "Deleted" } as const;
const startedAt = Math.floor(Date.now() / 1000);
let counter = 0;

/** The CloudEvent kubewatch would send for a change (§2.4). */
export function toCloudEvent(change: KubernetesChangeEvent) {
  const namespace = change.obj.metadata?.namespace;
  return {
    specversion: "1.0",
    type: "KUBERNETES_TOPOLOGY_CHANGE",
    source: "robusta-ts/forwarder",
    subject: "",
    id: `${startedAt}-${++counter}`,
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    data: {
      operation: change.operation,
      kind: change.kind,
      clusterUid: "",
      description: `A \`${change.kind}\` ${namespace ? `in namespace \`${namespace}\` ` : ""}has been \`${VERB[change.operation]}\`:\n\`${change.obj.metadata?.name ?? ""}\``,
      apiVersion: change.apiVersion,
      obj: change.obj,
      oldObj: change.oldObj ?? null,
    },
  };
}

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class CloudEventForwarder {
  private readonly buffer: KubernetesChangeEvent[] = [];
  private sending: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  private batchSize: number;

  constructor(private readonly options: ForwarderOptions) {
    this.batchSize = options.batchSize ?? 100;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Takes a change for sending; false (counted and logged) when the buffer is full. */
  push(change: KubernetesChangeEvent): boolean {
    if (this.closed || this.buffer.length >= (this.options.bufferCapacity ?? 10_000)) {
      this.drop(1, this.closed ? "forwarder_closed" : "buffer_full", change);
      return false;
    }
    this.buffer.push(change);
    this.sending ??= this.sendAll().finally(() => (this.sending = undefined));
    return true;
  }

  /** Sends what is buffered, retrying for up to `deadlineMs`; then drops the rest, counted. */
  async close(deadlineMs = 10_000): Promise<void> {
    this.closed = true;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref());
    await Promise.race([this.sending ?? Promise.resolve(), deadline]);
    this.wake?.();
    if (this.buffer.length > 0) this.drop(this.buffer.splice(0).length, "shutdown");
  }

  private async sendAll(): Promise<void> {
    // Let the changes of one burst (an informer applies a whole relist in one pass) join one batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.batchSize);
      try {
        await this.post(batch);
        this.buffer.splice(0, batch.length);
        this.failures = 0;
        this.options.onSent?.(batch.length);
      } catch (error) {
        if (error instanceof Refused && error.status === 413 && batch.length > 1) {
          // Too large for the runner's body limit: send smaller batches.
          this.options.logger.warn({ size: batch.length }, "runner refused a batch as too large; halving it");
          this.batchSize = Math.max(1, Math.floor(batch.length / 2));
          continue;
        }
        if (error instanceof Refused && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) {
          // The runner will refuse these however often they are sent.
          this.buffer.splice(0, batch.length);
          this.drop(batch.length, `rejected_${error.status}`, undefined, error.message);
          continue;
        }
        if (this.closed) return;
        await this.backoff(error);
      }
    }
  }

  private async post(batch: KubernetesChangeEvent[]): Promise<void> {
    const response = await fetch(`${this.options.runnerUrl.replace(/\/$/, "")}/api/handle`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(this.options.authToken && { authorization: `Bearer ${this.options.authToken}` }),
      },
      body: JSON.stringify(batch.map(toCloudEvent)),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) {
      const retryAfter = Number(response.headers.get("retry-after"));
      const error = new Refused(response.status, `runner answered ${response.status}: ${text.slice(0, 300)}`);
      (error as Refused & { retryAfterMs?: number }).retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      throw error;
    }
  }

  private async backoff(error: unknown): Promise<void> {
    this.failures++;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const exponential = Math.min(maxMs, initialMs * 2 ** (this.failures - 1));
    const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs ?? 0;
    const delay = Math.max(retryAfterMs, Math.round(exponential / 2 + Math.random() * (exponential / 2)));
    this.options.logger.warn(
      { reason: error instanceof Error ? error.message : String(error), pending: this.buffer.length, retryInMs: delay },
      "could not reach the runner; retrying",
    );
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      setTimeout(resolve, delay).unref();
    });
  }

  private drop(count: number, reason: string, change?: KubernetesChangeEvent, detail?: string): void {
    this.options.onDropped?.(count, reason);
    this.options.logger.error(
      { dropped: count, reason, ...(change && { kind: change.kind, name: change.obj.metadata?.name }), ...(detail && { detail }) },
      "changes not forwarded",
    );
  }
}
