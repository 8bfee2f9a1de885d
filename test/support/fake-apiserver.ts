/**
 * A loopback fake Kubernetes API server for tests: discovery, GET, LIST (paging, label and field
 * selectors) and WATCH (history replay, 410 Expired, bookmarks) over plain HTTP, close enough to
 * the real protocol for @kubernetes/client-node's Watch and ListWatch, plus fault injection.
 *
 * Mirrors etcd + the watch cache: one global, monotonically increasing resourceVersion; a bounded
 * history of changes that watches replay from; a watch from an RV older than that history gets a
 * 410 Expired ERROR event (in a 200 response) and ends, so the client relists.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { apiVersionOf, KindTable, type KindRef, type ResourceKind } from "./fake-apiserver-kinds.js";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "./fake-apiserver-selectors.js";

export type { KindRef, ResourceKind } from "./fake-apiserver-kinds.js";

export interface FakeMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** An object as it travels on the wire (JSON). */
export interface FakeObject {
  apiVersion: string;
  kind: string;
  metadata: FakeMeta;
  [field: string]: unknown;
}

/** What create() and update() accept: any Kubernetes-shaped object (client-node models, fixtures, literals). */
export type ObjectInput = FakeObject | { apiVersion?: string; kind?: string; metadata?: object };

export interface FakeApiServerOptions {
  /** Created in order at startup (each gets its own resourceVersion and is in the history). */
  objects?: readonly ObjectInput[];
  /** Custom resources to serve besides the built-in kinds. */
  served?: readonly ResourceKind[];
  /** Known kinds to leave unserved: absent from discovery, 404 on their URLs. */
  unserved?: readonly KindRef[];
  /** How many changes the watch history keeps (the watch cache window). Default 1000. */
  historySize?: number;
  /** Period of BOOKMARK events on watches that allow them; 0 (the default) sends none. */
  bookmarkIntervalMs?: number;
  /** The bearer token the server requires. Default "fake-token". */
  token?: string;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly watch: boolean;
}

export interface FailureSpec {
  /** Any method when omitted. */
  method?: string;
  /** Matched against the URL path (no query). */
  pathPrefix: string;
  /** true: only watch requests; false: only non-watch requests; omitted: both. */
  watch?: boolean;
  status: number;
  /** Sent as the Retry-After header and as details.retryAfterSeconds in the Status. */
  retryAfterSeconds?: number;
  /** The response body; a Status for `status` when omitted. */
  body?: unknown;
  /** How many matching requests fail. Default 1. */
  times?: number;
}

type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

interface Change {
  readonly rv: number;
  readonly type: ChangeType;
  readonly kind: ResourceKind;
  readonly obj: FakeObject;
  /** The state before, for MODIFIED: a selector may stop or start matching. */
  readonly prev?: FakeObject;
}

interface OpenWatch {
  readonly kind: ResourceKind;
  readonly inScope: (obj: FakeObject) => boolean;
  readonly res: ServerResponse;
  readonly bookmarks: boolean;
  /** The RV this watch has been brought up to (for the 410 message). */
  rv: number;
  stalled: boolean;
  /** Lines held back while stalled, written in order on resume. */
  readonly held: string[];
}

interface Snapshot {
  readonly rv: number;
  readonly items: readonly FakeObject[];
  readonly labelled: boolean;
}

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Expired",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** The metav1.Status body every error response of the real server carries. */
export function statusBody(code: number, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: REASONS[code] ?? "Unknown", ...(details ? { details } : {}), code };
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** JSON with sorted keys, to tell a no-op update from a real one. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
const storeKey = (k: ResourceKind) => `${k.group}/${k.version}/${k.plural}`;
const objectKey = (o: FakeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const resourceName = (k: ResourceKind) => (k.group ? `${k.plural}.${k.group}` : k.plural);
/** etcd's creationTimestamp precision: whole seconds. */
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const server = new FakeApiServer(options);
  await server.listen();
  return server;
}

export class FakeApiServer {
  /** http://127.0.0.1:PORT, set once listening. */
  url = "";
  readonly token: string;
  /** Every request received, in order (faults included). */
  readonly requests: RequestRecord[] = [];

  private readonly kinds: KindTable;
  private readonly custom: ReadonlySet<ResourceKind>;
  private readonly store = new Map<string, Map<string, FakeObject>>();
  private rv = 1000;
  private history: Change[] = [];
  /** Every change after this RV is still in the history. */
  private compactedRv = this.rv;
  private readonly historySize: number;
  private readonly watches = new Set<OpenWatch>();
  private readonly faults: Array<FailureSpec & { left: number }> = [];
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly http: Server;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private readonly options: FakeApiServerOptions;

  constructor(options: FakeApiServerOptions) {
    this.options = options;
    this.token = options.token ?? "fake-token";
    this.historySize = options.historySize ?? 1000;
    this.kinds = new KindTable(options.served ?? [], options.unserved ?? []);
    this.custom = new Set(options.served ?? []);
    for (const obj of options.objects ?? []) this.create(obj);
    this.http = createServer((req, res) => this.handle(req, res));
  }

  /** @internal startFakeApiServer calls it. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    const every = this.options.bookmarkIntervalMs ?? 0;
    if (every > 0) this.bookmarkTimer = setInterval(() => this.sendBookmarks(), every).unref();
  }

  /** A KubeConfig whose current context points at this server with its bearer token. */
  kubeconfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "fake", server: this.url, skipTLSVerify: true }],
      users: [{ name: "fake", token: this.token }],
      contexts: [{ name: "fake", cluster: "fake", user: "fake", namespace: "default" }],
      currentContext: "fake",
    });
    return kc;
  }

  /** Ends every open watch cleanly, drops every connection and stops listening. */
  async close(): Promise<void> {
    if (!this.http.listening) return;
    clearInterval(this.bookmarkTimer);
    for (const w of this.watches) w.res.end();
    this.watches.clear();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  // ---- The store (what tests change) ------------------------------------------------------

  /** The current (latest) resourceVersion. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Creates an object; fills uid, creationTimestamp, resourceVersion and a "default" namespace. */
  create(input: ObjectInput): FakeObject {
    const { obj, kind } = this.normalize(input);
    const objects = this.objectsOf(kind);
    if (objects.has(objectKey(obj))) throw new Error(`${resourceName(kind)} "${obj.metadata.name}" already exists`);
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= now();
    return this.commit("ADDED", kind, obj);
  }

  /**
   * Replaces an object (uid and creationTimestamp are kept). As on the real server, a stale
   * metadata.resourceVersion is a conflict, and an update that changes nothing is a no-op: no
   * new resourceVersion, no watch event.
   */
  update(input: ObjectInput): FakeObject {
    const { obj, kind } = this.normalize(input);
    const prev = this.objectsOf(kind).get(objectKey(obj));
    if (!prev) throw new Error(`${resourceName(kind)} "${obj.metadata.name}" not found`);
    if (obj.metadata.resourceVersion !== undefined && obj.metadata.resourceVersion !== prev.metadata.resourceVersion) {
      throw new Error(`Operation cannot be fulfilled on ${resourceName(kind)} "${obj.metadata.name}": the object has been modified`);
    }
    obj.metadata = { ...obj.metadata, uid: prev.metadata.uid, creationTimestamp: prev.metadata.creationTimestamp, resourceVersion: prev.metadata.resourceVersion };
    if (canonical(obj) === canonical(prev)) return clone(prev);
    return this.commit("MODIFIED", kind, obj, prev);
  }

  /** Reads, changes and updates one object: `modify("v1", "Pod", "web", "default", (p) => { p.status = {...} })`. */
  modify(apiVersion: string, kind: string, name: string, namespace: string | undefined, change: (obj: FakeObject) => void): FakeObject {
    const current = this.get(apiVersion, kind, name, namespace);
    if (!current) throw new Error(`${kind} ${namespace ?? ""}/${name} not found`);
    change(current);
    return this.update(current);
  }

  /** Deletes at once (no graceful deletion, no finalizers); watches get DELETED with the final state at the new RV. */
  remove(apiVersion: string, kind: string, name: string, namespace?: string): FakeObject {
    const k = this.kindOf({ apiVersion, kind, metadata: { name } });
    const key = `${k.namespaced ? (namespace ?? "default") : ""}/${name}`;
    const prev = this.objectsOf(k).get(key);
    if (!prev) throw new Error(`${resourceName(k)} "${name}" not found`);
    return this.commit("DELETED", k, clone(prev));
  }

  /** A copy of the stored object, or undefined. */
  get(apiVersion: string, kind: string, name: string, namespace?: string): FakeObject | undefined {
    const k = this.kindOf({ apiVersion, kind, metadata: { name } });
    const found = this.objectsOf(k).get(`${k.namespaced ? (namespace ?? "default") : ""}/${name}`);
    return found && clone(found);
  }

  /** A private copy of the input: stored objects are never changed in place, so lists and snapshots can share them. */
  private normalize(input: ObjectInput): { obj: FakeObject; kind: ResourceKind } {
    const obj = clone(input) as FakeObject;
    const kind = this.kindOf(obj);
    if (kind.namespaced) obj.metadata.namespace ??= "default";
    else delete obj.metadata.namespace;
    return { obj, kind };
  }

  private kindOf(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string } }): ResourceKind {
    const kind = obj.apiVersion && obj.kind ? this.kinds.byKind(obj.apiVersion, obj.kind) : undefined;
    if (!kind) throw new Error(`unknown kind ${obj.apiVersion}/${obj.kind}: register it with options.served`);
    if (!obj.metadata?.name) throw new Error(`${obj.kind} without metadata.name`);
    return kind;
  }

  private objectsOf(kind: ResourceKind): Map<string, FakeObject> {
    let objects = this.store.get(storeKey(kind));
    if (!objects) this.store.set(storeKey(kind), (objects = new Map()));
    return objects;
  }

  /** Applies one change at a new RV, records it in the history and sends it to the open watches. */
  private commit(type: ChangeType, kind: ResourceKind, obj: FakeObject, prev?: FakeObject): FakeObject {
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    if (type === "DELETED") this.objectsOf(kind).delete(objectKey(obj));
    else this.objectsOf(kind).set(objectKey(obj), obj);
    const change: Change = { rv, type, kind, obj, prev };
    this.history.push(change);
    while (this.history.length > this.historySize) this.compactedRv = this.history.shift()!.rv;
    for (const w of this.watches) this.deliver(w, change);
    return clone(obj);
  }

  // ---- Fault injection -----------------------------------------------------------------------

  /** Forgets the change history (like etcd compaction): a watch from any older RV, or a continue token, gets 410. */
  expireHistory(): void {
    this.history = [];
    this.compactedRv = this.rv;
    this.snapshots.clear();
  }

  /**
   * Sends the 410 Expired ERROR on every open watch and ends them, the history expired with it so
   * that the claim holds: a client that watches again from its old RV gets 410 again.
   */
  breakWatchesWith410(): void {
    this.expireHistory();
    for (const w of this.watches) {
      this.resume(w);
      this.expired(w, w.rv);
      this.watches.delete(w);
    }
  }

  /** The next `times` (1) requests matching method, path prefix and watch-ness get `status`; then normal service resumes. */
  failNext(spec: FailureSpec): void {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }

  /** Destroys the sockets of all open watches mid-stream: no terminating chunk, no clean end. */
  disconnectWatches(): void {
    for (const w of this.watches) w.res.socket?.destroy();
    this.watches.clear();
  }

  /**
   * The open watches go silent but stay open; what they would have sent is held back (as a
   * stalled TCP connection would) and written on resumeWatches(). Watches opened meanwhile are
   * not stalled.
   */
  stallWatches(): void {
    for (const w of this.watches) w.stalled = true;
  }

  resumeWatches(): void {
    for (const w of this.watches) this.resume(w);
  }

  /** Sends a BOOKMARK at the current RV on every watch that allowed bookmarks. */
  sendBookmarks(): void {
    for (const w of this.watches) {
      if (w.bookmarks) this.send(w, { type: "BOOKMARK", object: { kind: w.kind.kind, apiVersion: apiVersionOf(w.kind), metadata: { resourceVersion: String(this.rv) } } }, this.rv);
    }
  }

  /** How many watches are open now. */
  get openWatches(): number {
    return this.watches.size;
  }

  /** How many logged requests match: `count({ pathPrefix: "/api/v1/pods", watch: false })` counts LISTs (and GETs) of pods. */
  count(filter: { method?: string; pathPrefix?: string; watch?: boolean } = {}): number {
    return this.requests.filter((r) => this.matches(r, filter)).length;
  }

  private matches(r: RequestRecord, f: { method?: string; pathPrefix?: string; watch?: boolean }): boolean {
    return (f.method === undefined || f.method === r.method) && r.path.startsWith(f.pathPrefix ?? "") && (f.watch === undefined || f.watch === r.watch);
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    const q = url.searchParams;
    const record: RequestRecord = { method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(q), watch: q.get("watch") === "true" || q.get("watch") === "1" };
    this.requests.push(record);

    const fault = this.faults.find((f) => f.left > 0 && this.matches(record, f));
    if (fault) {
      fault.left--;
      const retry = fault.retryAfterSeconds;
      const body = fault.body ?? statusBody(fault.status, `injected ${fault.status}`, retry === undefined ? undefined : { retryAfterSeconds: retry });
      return json(res, fault.status, body, retry === undefined ? {} : { "retry-after": String(retry) });
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return json(res, 401, statusBody(401, "Unauthorized"));
    if (record.method !== "GET") return json(res, 405, statusBody(405, `the server does not allow this method on the requested resource`));
    try {
      this.route(url, record.watch, res);
    } catch (err) {
      if (err instanceof SelectorError) json(res, 400, statusBody(400, err.message));
      else json(res, 500, statusBody(500, String(err)));
    }
  }

  private route(url: URL, watch: boolean, res: ServerResponse): void {
    const notFound = () => json(res, 404, statusBody(404, "the server could not find the requested resource", {}));
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (url.pathname === "/version") return json(res, 200, { major: "1", minor: "31", gitVersion: "v1.31.0-fake" });
    let group: string;
    let rest: string[];
    if (parts[0] === "api") {
      if (parts.length === 1) return json(res, 200, this.kinds.apiVersions(this.url.replace("http://", "")));
      group = "";
      rest = parts.slice(1);
    } else if (parts[0] === "apis") {
      if (parts.length === 1) return json(res, 200, this.kinds.groupList());
      const apiGroup = parts.length === 2 ? this.kinds.group(parts[1]!) : undefined;
      if (parts.length === 2) return apiGroup ? json(res, 200, apiGroup) : notFound();
      group = parts[1]!;
      rest = parts.slice(2);
    } else return notFound();
    const version = rest.shift()!;
    if (rest.length === 0) {
      const list = this.kinds.resourceList(group, version);
      return list ? json(res, 200, list) : notFound();
    }
    // {plural}, {plural}/{name}, namespaces/{ns}/{plural}, namespaces/{ns}/{plural}/{name}; no subresources.
    const namespaced = rest[0] === "namespaces" && rest.length >= 3;
    if (rest.length > (namespaced ? 4 : 2)) return notFound();
    const [namespace, plural, name] = namespaced ? [rest[1], rest[2]!, rest[3]] : [undefined, rest[0]!, rest[1]];
    const kind = this.kinds.byPlural(group, version, plural);
    if (!kind || (namespace !== undefined && !kind.namespaced) || (name !== undefined && kind.namespaced && namespace === undefined)) return notFound();

    if (name !== undefined) return this.getOne(res, kind, name, namespace);
    const labels = parseLabelSelector(url.searchParams.get("labelSelector") ?? "");
    const fields = parseFieldSelector(url.searchParams.get("fieldSelector") ?? "", kind.fields ?? []);
    const inScope = (obj: FakeObject) => (namespace === undefined || obj.metadata.namespace === namespace) && labels(obj) && fields(obj);
    const selected = !!(url.searchParams.get("labelSelector") || url.searchParams.get("fieldSelector"));
    return watch ? this.watch(res, kind, inScope, url.searchParams) : this.list(res, kind, inScope, selected, url.searchParams);
  }

  private getOne(res: ServerResponse, kind: ResourceKind, name: string, namespace: string | undefined): void {
    const obj = this.objectsOf(kind).get(`${namespace ?? ""}/${name}`);
    if (obj) return json(res, 200, obj);
    json(res, 404, statusBody(404, `${resourceName(kind)} "${name}" not found`, { name, ...(kind.group ? { group: kind.group } : {}), kind: kind.plural }));
  }

  /**
   * LIST always reads the latest state (resourceVersion and resourceVersionMatch are ignored).
   * Paging follows the real server: every page reports the first page's RV and is cut from that
   * same snapshot; remainingItemCount is omitted when a selector was given; an expired continue
   * token gets 410. Items are in etcd key order (namespace, then name) and, for built-in kinds,
   * carry no kind/apiVersion (the real server omits them on typed list items; custom resources,
   * served as unstructured, keep them).
   */
  private list(res: ServerResponse, kind: ResourceKind, inScope: (o: FakeObject) => boolean, selected: boolean, q: URLSearchParams): void {
    const limit = Math.max(0, Number(q.get("limit")) || 0);
    const token = q.get("continue");
    let snapshot: Snapshot;
    let id: string;
    let offset = 0;
    if (token) {
      let decoded: { id?: string; offset?: number };
      try {
        decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as typeof decoded;
      } catch {
        return json(res, 400, statusBody(400, "continue key is not valid"));
      }
      const found = this.snapshots.get(decoded.id ?? "");
      if (!found) return json(res, 410, statusBody(410, "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."));
      [snapshot, id, offset] = [found, decoded.id!, decoded.offset ?? 0];
    } else {
      const items = [...this.objectsOf(kind).values()].filter(inScope).sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
      [snapshot, id] = [{ rv: this.rv, items, labelled: selected }, randomUUID()];
    }
    const page = snapshot.items.slice(offset, limit > 0 ? offset + limit : undefined);
    const remaining = snapshot.items.length - offset - page.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.rv) };
    if (remaining > 0) {
      this.snapshots.set(id, snapshot);
      const last = page[page.length - 1]!;
      metadata.continue = Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: snapshot.rv, start: `${objectKey(last)}\u0000`, id, offset: offset + page.length })).toString("base64url");
      if (!snapshot.labelled) metadata.remainingItemCount = remaining;
    } else this.snapshots.delete(id);
    const custom = this.custom.has(kind);
    const items = page.map(({ apiVersion, kind: k, ...rest }) => (custom ? { apiVersion, kind: k, ...rest } : rest));
    json(res, 200, { kind: `${kind.kind}List`, apiVersion: apiVersionOf(kind), metadata, items });
  }

  /**
   * WATCH. resourceVersion N: every change after N from the history, then live changes; N older
   * than the history: one 410 ERROR event, then the end. resourceVersion "" or "0": the real
   * server first sends a synthetic ADDED for every existing object ("get state and start at most
   * recent" / "start at any"), then live changes; so does this. timeoutSeconds ends the watch
   * cleanly when it runs out, as the real server does.
   */
  private watch(res: ServerResponse, kind: ResourceKind, inScope: (o: FakeObject) => boolean, q: URLSearchParams): void {
    const rvParam = q.get("resourceVersion") ?? "";
    const initial = rvParam === "" || rvParam === "0";
    if (!initial && !/^\d+$/.test(rvParam)) return json(res, 400, statusBody(400, `invalid resource version: ${JSON.stringify(rvParam)}`));
    const from = initial ? this.rv : Number(rvParam);
    if (from > this.rv) return json(res, 504, statusBody(504, `Too large resource version: ${from}, current: ${this.rv}`));

    res.writeHead(200, { "content-type": "application/json" });
    res.flushHeaders(); // the client's request resolves now, not at the first event
    const w: OpenWatch = { kind, inScope, res, bookmarks: q.get("allowWatchBookmarks") === "true", rv: from, stalled: false, held: [] };
    if (from < this.compactedRv) return this.expired(w, from);

    this.watches.add(w);
    const seconds = Number(q.get("timeoutSeconds")) || 0;
    const timer = seconds > 0 ? setTimeout(() => this.watches.delete(w) && res.end(), seconds * 1000) : undefined;
    res.on("close", () => {
      clearTimeout(timer);
      this.watches.delete(w);
    });
    if (initial) {
      const existing = [...this.objectsOf(kind).values()].filter(inScope).sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
      for (const obj of existing) this.send(w, { type: "ADDED", object: obj }, from);
    } else {
      for (const change of this.history) if (change.rv > from) this.deliver(w, change);
    }
  }

  /** What one watch sees of a change: selectors turn a MODIFIED into ADDED or DELETED when the object enters or leaves them. */
  private deliver(w: OpenWatch, change: Change): void {
    if (change.kind !== w.kind) return;
    const now = w.inScope(change.obj);
    const before = change.type === "MODIFIED" ? w.inScope(change.prev!) : now;
    const type = change.type !== "MODIFIED" ? (now ? change.type : undefined) : now && before ? "MODIFIED" : now ? "ADDED" : before ? "DELETED" : undefined;
    if (type) this.send(w, { type, object: change.obj }, change.rv);
    else w.rv = change.rv;
  }

  private send(w: OpenWatch, event: { type: string; object: unknown }, rv: number): void {
    w.rv = rv;
    if (w.res.destroyed || w.res.writableEnded) return;
    const line = `${JSON.stringify(event)}\n`;
    if (w.stalled) w.held.push(line);
    else w.res.write(line);
  }

  private resume(w: OpenWatch): void {
    w.stalled = false;
    for (const line of w.held.splice(0)) if (!w.res.destroyed && !w.res.writableEnded) w.res.write(line);
  }

  /** The real server's in-stream 410: an ERROR event carrying a Status, then the end of the response. */
  private expired(w: OpenWatch, rv: number): void {
    this.send(w, { type: "ERROR", object: statusBody(410, `too old resource version: ${rv} (${this.compactedRv})`) }, w.rv);
    w.res.end();
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}
