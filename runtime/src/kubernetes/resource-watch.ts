/**
 * One watch of one resource, on client-node's informer (ListWatch), turned into change events
 * with the semantics the playbooks need:
 * - the initial list fires nothing (its objects are the starting state);
 * - an update carries the object before it (kept here: the informer overwrites its own copy first);
 * - an update with an unchanged resourceVersion never fires;
 * - after a relist (410 Gone), only real differences fire, once each, and objects deleted during
 *   the gap fire as deletes (the informer diffs the new list against its cache).
 * client-node's informer stops on errors other than 410 and timeouts; this restarts it with
 * exponential backoff and jitter, honouring a 429's Retry-After. Its watch already reconnects after
 * `idleTimeoutMs` without a byte, which is the idle watchdog for stalled connections; bookmarks
 * keep a healthy but quiet watch from looking idle.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject as ClientObject } from "@kubernetes/client-node";
import type { KubernetesChangeEvent, KubernetesObject, Logger, Operation } from "@robusta-ts/sdk";
import { randomUUID } from "node:crypto";
import { KubeApiError, type KubeApiClient } from "./api-client.js";
import { ingest } from "./ingest.js";
import { isProjected, project } from "./projection.js";
import { collectionPath, type ServedResource } from "./resources.js";

export interface ResourceWatchOptions {
  readonly resource: ServedResource;
  readonly kubeConfig: KubeConfig;
  readonly client: KubeApiClient;
  readonly logger: Logger;
  /** Called with every change that passes `accept`. */
  readonly onChange: (change: KubernetesChangeEvent) => void;
  /** Objects outside it are neither cached nor reported. */
  readonly accept?: (obj: KubernetesObject) => boolean;
  /** Reconnect a watch that has sent nothing (not even a bookmark) for this long. Default 120 s. */
  readonly idleTimeoutMs?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Metrics hooks. */
  readonly onRestart?: (reason: string) => void;
  readonly onRelist?: () => void;
  readonly onSynced?: (objects: number) => void;
}

const VERB: Record<Operation, string> = { create: "Created", update: "Updated", delete: "Deleted" };

/**
 * client-node's Watch, asking for bookmarks: the server then tells a quiet watch its current
 * resourceVersion now and then (the informer records it), so reconnecting after an idle timeout
 * resumes where it was instead of finding its version expired and relisting everything.
 */
class BookmarkWatch extends Watch {
  constructor(
    kubeConfig: KubeConfig,
    /** Told of every line the watch receives, bookmarks included: proof the watch is alive. */
    private readonly onActivity: () => void,
  ) {
    super(kubeConfig);
  }

  override watch(...[path, query, callback, done]: Parameters<Watch["watch"]>): ReturnType<Watch["watch"]> {
    const observed: typeof callback = (phase, obj, raw) => {
      this.onActivity();
      callback(phase, obj, raw);
    };
    return super.watch(path, { ...query, allowWatchBookmarks: true }, observed, done);
  }
}

const keyOf = (obj: KubernetesObject) => `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;

export class ResourceWatch {
  // client-node types objects as its model classes (Date timestamps); they are the plain JSON we
  // parse and hand it, so they are cast at this boundary.
  private informer: ListWatch<ClientObject> | undefined;
  /** The last version of every object seen, to hand to updates as oldObj. */
  private readonly previous = new Map<string, KubernetesObject>();
  private syncedOnce = false;
  private stopped = true;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Last time the watch was known to be working: a list, an event, or a (re)connect. */
  private lastContact = 0;
  private lastError: string | undefined;

  constructor(private readonly options: ResourceWatchOptions) {}

  get kind(): string {
    return this.options.resource.type.kind;
  }

  /** The initial list has completed at least once. */
  get synced(): boolean {
    return this.syncedOnce;
  }

  /** Milliseconds since the watch last showed it works (or since it started). */
  staleForMs(now = Date.now()): number {
    return now - this.lastContact;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** How many objects are cached. */
  get size(): number {
    return this.previous.size;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lastContact = Date.now(); // staleness counts from the start, not from the epoch
    const { resource, kubeConfig } = this.options;
    const watch = new BookmarkWatch(kubeConfig, () => this.touch());
    // The inactivity timeout after which client-node's watch reconnects (private in its types).
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = this.options.idleTimeoutMs ?? 120_000;
    const list = () => this.list() as Promise<unknown> as Promise<KubernetesListObject<ClientObject>>;
    const informer = new ListWatch<ClientObject>(collectionPath(resource), watch, list, false);
    const plain = (obj: ClientObject) => obj as unknown as KubernetesObject;
    informer.on("add", (obj) => this.handle("create", plain(obj)));
    informer.on("update", (obj) => this.handle("update", plain(obj)));
    informer.on("delete", (obj) => this.handle("delete", plain(obj)));
    informer.on("connect", () => this.touch());
    informer.on("error", (error) => this.failed(error));
    this.informer = informer;
    void informer.start().catch((error: unknown) => this.failed(error));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer?.stop();
  }

  /** The informer's list function: every page, each object ingested. */
  private async list() {
    const { client, resource } = this.options;
    const list = await client.list<KubernetesObject>(collectionPath(resource), {}, (item) => ingest(item, resource));
    if (this.syncedOnce) this.options.onRelist?.();
    // The informer applies the list right after this promise settles, in one synchronous pass, so
    // the first list's adds all happen before the next macrotask: until then they are the
    // starting state, not live creates.
    setImmediate(() => {
      if (!this.syncedOnce) this.options.logger.info({ kind: this.kind, objects: this.previous.size }, "watch synced");
      this.syncedOnce = true;
      this.options.onSynced?.(this.previous.size);
    });
    this.touch();
    this.failures = 0;
    return list;
  }

  private handle(operation: Operation, obj: KubernetesObject): void {
    const resource = this.options.resource;
    ingest(obj, resource);
    this.touch();
    this.failures = 0;
    if (this.options.accept && !this.options.accept(obj)) return;
    const key = keyOf(obj);
    const before = this.previous.get(key);
    if (operation === "create" && before) operation = "update"; // known already: a relist saw it change
    const fires =
      (operation !== "create" || this.syncedOnce) && // the initial list is the starting state
      !(operation === "update" && before?.metadata?.resourceVersion === obj.metadata?.resourceVersion);
    // The event gets the object whole; what stays cached (here and in the informer, which holds
    // the same object) is cut down to what triggers and diffs need.
    let current = obj;
    if (isProjected(resource.type.kind) && operation !== "delete") {
      if (fires) current = structuredClone(obj);
      project(obj);
    }
    if (operation === "delete") this.previous.delete(key);
    else this.previous.set(key, obj);
    if (!fires) return;
    const namespace = obj.metadata?.namespace;
    this.options.onChange({
      source: "kubernetes",
      id: randomUUID(),
      operation,
      kind: resource.type.kind,
      apiVersion: resource.apiVersion,
      obj: current,
      ...(operation === "update" && before && { oldObj: before }),
      description: `A \`${resource.type.kind}\` ${namespace ? `in namespace \`${namespace}\` ` : ""}has been \`${VERB[operation]}\`: \`${obj.metadata?.name ?? ""}\``,
    });
  }

  private touch(): void {
    this.lastContact = Date.now();
    this.lastError = undefined;
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.lastError = reason;
    this.failures++;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    const exponential = Math.min(maxMs, initialMs * 2 ** (this.failures - 1));
    const retryAfterMs = error instanceof KubeApiError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
    // Half the delay is random, so watches failing together do not come back together; never sooner than Retry-After.
    const delay = Math.max(retryAfterMs, Math.round(exponential / 2 + Math.random() * (exponential / 2)));
    this.options.logger.warn({ kind: this.kind, reason, retryInMs: delay, failures: this.failures }, "watch failed; restarting");
    this.options.onRestart?.(error instanceof KubeApiError ? String(error.statusCode) : "error");
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) void this.informer?.start().catch((e: unknown) => this.failed(e));
    }, delay);
    this.restartTimer.unref();
  }
}
