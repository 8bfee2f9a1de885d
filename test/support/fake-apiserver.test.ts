import { ListWatch, makeInformer, Watch, type Informer, type KubernetesListObject, type KubernetesObject } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeApiServer, type FakeApiServer, type FakeObject } from "./fake-apiserver.js";
import { waitFor } from "./wait-for.js";

const pod = (name: string, labels: Record<string, string> = { app: "web" }, namespace = "default"): FakeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels },
  spec: { nodeName: "node-1" },
  status: { phase: "Pending" },
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(...objects: FakeObject[]): Promise<FakeApiServer> {
  const server = await startFakeApiServer({ objects });
  cleanups.push(() => server.close());
  return server;
}

async function get(server: FakeApiServer, path: string, token = server.token): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** An error from a failed LIST, carrying what the caller needs to back off. */
const listError = (statusCode: number, retryAfterSeconds: number | undefined, status: { reason?: string }) =>
  Object.assign(new Error(`LIST failed: ${statusCode} ${status.reason}`), { statusCode, retryAfterSeconds, status });

/**
 * The list function an informer needs: every page of a paged LIST (2 items a page, to exercise
 * continue tokens). `hold()` parks the next calls until released, so a test can change the
 * cluster while the informer sits between a broken watch and its relist, with no watch open.
 */
function pagedList(server: FakeApiServer, path: string) {
  let gate: Promise<void> | undefined;
  let waiting = 0;
  const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
    if (gate) {
      waiting++;
      await gate;
      waiting--;
    }
    const items: KubernetesObject[] = [];
    let resourceVersion: string | undefined;
    let next: string | undefined;
    do {
      const { status, body, headers } = await get(server, `${path}?limit=2${next ? `&continue=${next}` : ""}`);
      if (status !== 200) throw listError(status, headers.has("retry-after") ? Number(headers.get("retry-after")) : undefined, body);
      resourceVersion ??= body.metadata.resourceVersion;
      items.push(...body.items);
      next = body.metadata.continue;
    } while (next);
    return { metadata: { resourceVersion }, items };
  };
  const hold = (): (() => void) => {
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      gate = undefined;
      release();
    };
  };
  return { list, hold, waiting: () => waiting };
}

/** Records an informer's callbacks as "verb ns/name@rv", and its errors. */
function record(informer: Informer<KubernetesObject>, server?: FakeApiServer) {
  const events: string[] = [];
  /** How many requests the server had seen when each event arrived. */
  const seenAt: number[] = [];
  const errors: any[] = [];
  for (const verb of ["add", "update", "delete"] as const) {
    informer.on(verb, (obj) => {
      events.push(`${verb} ${obj.metadata?.namespace}/${obj.metadata?.name}@${obj.metadata?.resourceVersion}`);
      seenAt.push(server?.requests.length ?? 0);
    });
  }
  informer.on("error", (err) => errors.push(err));
  return { events, seenAt, errors };
}

/** Watch requests for a path, in order. */
const watchesOf = (server: FakeApiServer, path: string) => server.requests.filter((r) => r.watch && r.path === path);
/** LISTs (first pages only) of a path. */
const listsOf = (server: FakeApiServer, path: string) => server.requests.filter((r) => !r.watch && r.path === path && r.query.continue === undefined);

describe("fake API server: the protocol", () => {
  it("serves discovery for what is served, and 404 for the rest", async () => {
    const server = await startFakeApiServer({
      served: [{ group: "example.com", version: "v1", kind: "Widget", plural: "widgets", namespaced: true }],
      unserved: [{ apiVersion: "batch/v1", kind: "Job" }],
      objects: [{ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "default" } }],
    });
    cleanups.push(() => server.close());
    expect((await get(server, "/api")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const core = (await get(server, "/api/v1")).body;
    expect(core.resources).toContainEqual(expect.objectContaining({ name: "pods", kind: "Pod", namespaced: true, verbs: ["get", "list", "watch"] }));
    expect(core.resources).toContainEqual(expect.objectContaining({ name: "nodes", namespaced: false }));
    const groups = (await get(server, "/apis")).body;
    expect(groups.groups.map((g: { name: string }) => g.name)).toEqual(["events.k8s.io", "apps", "example.com"]);
    expect((await get(server, "/apis/apps/v1")).body.resources).toHaveLength(4);
    expect((await get(server, "/apis/batch/v1")).status).toBe(404);
    expect((await get(server, "/apis/batch")).status).toBe(404);
    expect((await get(server, "/apis/batch/v1/jobs")).status).toBe(404);
    // Custom resources are served as unstructured: their list items keep kind and apiVersion.
    const widgets = (await get(server, "/apis/example.com/v1/namespaces/default/widgets")).body;
    expect(widgets).toMatchObject({ kind: "WidgetList", apiVersion: "example.com/v1", items: [{ kind: "Widget", apiVersion: "example.com/v1" }] });
  });

  it("lists with paging and selectors, gets one object, and answers errors with a Status", async () => {
    const server = await start(pod("a"), pod("b", { app: "db" }), pod("c"), pod("d", { app: "web" }, "other"), {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "a.1", namespace: "default" },
      involvedObject: { kind: "Pod", name: "a", namespace: "default" },
    });
    const all = await get(server, "/api/v1/pods");
    expect(all.body.kind).toBe("PodList");
    expect(all.body.metadata.resourceVersion).toBe(server.resourceVersion);
    // The real server omits kind and apiVersion on the items of a built-in list.
    expect(all.body.items[0]).not.toHaveProperty("kind");
    expect(all.body.items.map((p: FakeObject) => p.metadata.name)).toEqual(["a", "b", "c", "d"]);

    const first = (await get(server, "/api/v1/pods?limit=3")).body;
    expect(first.metadata).toMatchObject({ remainingItemCount: 1, continue: expect.any(String) });
    server.create(pod("e")); // not in the pages of a list that started before it
    const second = (await get(server, `/api/v1/pods?limit=3&continue=${first.metadata.continue}`)).body;
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(second.items.map((p: FakeObject) => p.metadata.name)).toEqual(["d"]);
    expect(second.metadata.continue).toBeUndefined();
    const third = (await get(server, "/api/v1/pods?limit=1")).body;
    server.expireHistory();
    expect((await get(server, `/api/v1/pods?limit=1&continue=${third.metadata.continue}`)).body).toMatchObject({ code: 410, reason: "Expired" });

    const names = async (path: string) => (await get(server, path)).body.items.map((o: FakeObject) => o.metadata.name);
    expect(await names("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")).toEqual(["a", "c", "e"]);
    expect(await names("/api/v1/pods?labelSelector=app!%3Dweb")).toEqual(["b"]);
    expect(await names("/api/v1/pods?labelSelector=app%20in%20(db,x)")).toEqual(["b"]);
    expect(await names("/api/v1/pods?fieldSelector=metadata.namespace%3Dother,spec.nodeName%3Dnode-1")).toEqual(["d"]);
    expect(await names("/api/v1/events?fieldSelector=involvedObject.name%3Da,involvedObject.kind%3DPod")).toEqual(["a.1"]);
    expect((await get(server, "/api/v1/pods?fieldSelector=spec.foo%3Dx")).body).toMatchObject({ code: 400, reason: "BadRequest" });

    expect((await get(server, "/api/v1/namespaces/default/pods/a")).body).toMatchObject({ kind: "Pod", apiVersion: "v1", metadata: { name: "a" } });
    expect((await get(server, "/api/v1/namespaces/default/pods/zz")).body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods "zz" not found',
      reason: "NotFound",
      details: { name: "zz", kind: "pods" },
      code: 404,
    });
    expect((await get(server, "/api/v1/pods", "wrong")).status).toBe(401);

    server.failNext({ method: "GET", pathPrefix: "/api/v1/pods", status: 429, retryAfterSeconds: 3 });
    const throttled = await get(server, "/api/v1/pods");
    expect([throttled.status, throttled.headers.get("retry-after"), throttled.body.reason]).toEqual([429, "3", "TooManyRequests"]);
    expect((await get(server, "/api/v1/pods")).status).toBe(200);
  });

  it("watches: initial ADDED for rv 0, replay after rv N, selector transitions, bookmarks, 410 when expired", async () => {
    const server = await start(pod("a"), pod("b"));
    const watch = new Watch(server.kubeconfig());
    const open = async (query: Record<string, string>) => {
      const seen: Array<{ type: string; object: any }> = [];
      const ended: { err?: unknown; done: boolean } = { done: false };
      const controller = await watch.watch("/api/v1/namespaces/default/pods", query, (type, object) => seen.push({ type, object }), (err) => Object.assign(ended, { err, done: true }));
      cleanups.push(async () => controller.abort());
      return { seen, ended, brief: () => seen.map((e) => `${e.type} ${e.object.metadata?.name ?? ""}@${e.object.metadata?.resourceVersion ?? ""}`) };
    };
    const rvOfB = server.get("v1", "Pod", "b", "default")!.metadata.resourceVersion!;

    const fromZero = await open({ resourceVersion: "0" });
    await waitFor("the initial ADDED events", () => fromZero.seen.length === 2);
    expect(fromZero.brief()).toEqual(["ADDED a@1001", "ADDED b@1002"]);

    const web = await open({ resourceVersion: rvOfB, labelSelector: "app=web", allowWatchBookmarks: "true" });
    server.create(pod("c"));
    server.modify("v1", "Pod", "a", "default", (p) => (p.metadata.labels = { app: "db" })); // leaves the selector
    server.remove("v1", "Pod", "b", "default");
    server.sendBookmarks();
    await waitFor("the bookmark", () => web.seen.length === 4);
    expect(web.brief()).toEqual(["ADDED c@1003", "DELETED a@1004", "DELETED b@1005", "BOOKMARK @1005"]);
    expect(web.seen[3]!.object).toEqual({ kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: "1005" } });
    expect(fromZero.brief().slice(2)).toEqual(["ADDED c@1003", "MODIFIED a@1004", "DELETED b@1005"]); // no bookmarks asked for

    const replay = await open({ resourceVersion: rvOfB });
    await waitFor("the replay", () => replay.seen.length === 3);
    expect(replay.brief()).toEqual(["ADDED c@1003", "MODIFIED a@1004", "DELETED b@1005"]);

    server.expireHistory();
    const expired = await open({ resourceVersion: rvOfB });
    await waitFor("the end of the expired watch", () => expired.ended.done);
    expect(expired.seen).toEqual([{ type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired", message: "too old resource version: 1002 (1005)" }) }]);
    expect(expired.ended.err).toBeNull();

    // close() ends the open watches cleanly.
    await server.close();
    await waitFor("the watches to end", () => fromZero.ended.done && web.ended.done);
    expect(fromZero.ended.err).toBeNull();
  });

  it("sends periodic bookmarks when asked to, and ends a watch cleanly at its timeoutSeconds", async () => {
    const server = await startFakeApiServer({ bookmarkIntervalMs: 20 });
    cleanups.push(() => server.close());
    const seen: string[] = [];
    let ended: unknown;
    await new Watch(server.kubeconfig()).watch("/api/v1/nodes", { resourceVersion: server.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 1 }, (type) => seen.push(type), (err) => (ended = err));
    await waitFor("the clean end", () => ended === null);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(["BOOKMARK"]));
    expect(server.openWatches).toBe(0);
  });
});

describe("fake API server: client-node's informer against it", () => {
  it("reports the initial list as adds, then each add, update and delete once", async () => {
    const server = await start(pod("a"), pod("b"), pod("c"));
    const informer = makeInformer(server.kubeconfig(), "/api/v1/pods", pagedList(server, "/api/v1/pods").list);
    cleanups.push(() => informer.stop());
    const { events, errors } = record(informer);
    await informer.start();
    // client-node's ListWatch reports every item of its first list as an "add".
    expect(events.splice(0)).toEqual(["add default/a@1001", "add default/b@1002", "add default/c@1003"]);

    server.create(pod("d"));
    server.modify("v1", "Pod", "a", "default", (p) => (p.status = { phase: "Running" }));
    server.update(server.get("v1", "Pod", "a", "default")!); // changes nothing: no new RV, no event
    server.remove("v1", "Pod", "b", "default");
    server.create(pod("e")); // the sentinel: once it arrives, anything sent before it has too
    await waitFor("the sentinel", () => events.includes("add default/e@1007"));
    expect(events).toEqual(["add default/d@1004", "update default/a@1005", "delete default/b@1006", "add default/e@1007"]);
    expect(informer.list().map((p) => p.metadata?.name).sort()).toEqual(["a", "c", "d", "e"]);
    expect(errors).toEqual([]);
    expect(listsOf(server, "/api/v1/pods")).toHaveLength(1);
  });

  it("relists after a 410 and reports exactly what changed while no watch was open", async () => {
    const server = await start(pod("a"), pod("b"), pod("c"));
    const { list, hold, waiting } = pagedList(server, "/api/v1/pods");
    const informer = makeInformer(server.kubeconfig(), "/api/v1/pods", list);
    cleanups.push(() => informer.stop());
    const { events, errors } = record(informer);
    await informer.start();
    events.splice(0);

    const release = hold();
    server.breakWatchesWith410();
    await waitFor("the informer to ask for a relist", () => waiting() === 1);
    expect(server.openWatches).toBe(0);
    server.create(pod("d"));
    server.modify("v1", "Pod", "a", "default", (p) => (p.status = { phase: "Running" }));
    server.remove("v1", "Pod", "c", "default");
    release();

    await waitFor("the new watch", () => server.openWatches === 1);
    // The differences between its cache and the new list: deletes first (with the last state it
    // knew, as the delete itself was never seen), then adds and updates in list order; b is unchanged.
    expect(events.splice(0)).toEqual(["delete default/c@1003", "update default/a@1005", "add default/d@1004"]);
    expect(watchesOf(server, "/api/v1/pods").at(-1)!.query.resourceVersion).toBe("1006");
    expect(listsOf(server, "/api/v1/pods")).toHaveLength(2);

    server.create(pod("e"));
    await waitFor("the sentinel", () => events.length === 1);
    expect(events).toEqual(["add default/e@1007"]);
    expect(errors).toEqual([]);
  });

  it("stops on a dropped connection; restarted, it resumes from its last RV and misses nothing", async () => {
    const server = await start(pod("a"), pod("b"));
    const informer = makeInformer(server.kubeconfig(), "/api/v1/pods", pagedList(server, "/api/v1/pods").list);
    cleanups.push(() => informer.stop());
    const { events, errors } = record(informer);
    await informer.start();
    events.splice(0);

    server.disconnectWatches();
    // client-node 2.0.1: the stream fails ("terminated", UND_ERR_SOCKET), Watch passes that error to
    // ListWatch's done handler, and ListWatch calls its "error" callbacks and does NOT reconnect (it
    // only reconnects by itself after a clean end, a 410 or its own inactivity timeout). The caller
    // must start() it again.
    await waitFor("the error callback", () => errors.length === 1);
    expect(errors[0]).toMatchObject({ name: "TypeError", message: "terminated" });
    server.create(pod("c"));
    server.modify("v1", "Pod", "a", "default", (p) => (p.status = { phase: "Running" }));
    server.remove("v1", "Pod", "b", "default");

    await informer.start(); // keeps its resourceVersion: watches from it, no relist
    await waitFor("the replayed changes", () => events.length === 3);
    expect(events).toEqual(["add default/c@1003", "update default/a@1004", "delete default/b@1005"]);
    expect(listsOf(server, "/api/v1/pods")).toHaveLength(1);
    expect(watchesOf(server, "/api/v1/pods").map((r) => r.query.resourceVersion)).toEqual(["1002", "1002"]);
  });

  it("reports a 429 on its relist to the error callbacks and stops; restarted, it relists", async () => {
    const server = await start(pod("a"), pod("b"));
    const informer = makeInformer(server.kubeconfig(), "/api/v1/pods", pagedList(server, "/api/v1/pods").list);
    cleanups.push(() => informer.stop());
    const { events, errors } = record(informer);
    await informer.start();
    events.splice(0);

    server.failNext({ method: "GET", pathPrefix: "/api/v1/pods", watch: false, status: 429, retryAfterSeconds: 7 });
    server.breakWatchesWith410();
    // A failing list function is not retried: ListWatch calls its "error" callbacks with what the
    // list function threw and returns, leaving the informer stopped with its old cache. Honouring
    // Retry-After and restarting is the caller's job.
    await waitFor("the error callback", () => errors.length === 1);
    expect(errors[0]).toMatchObject({ statusCode: 429, retryAfterSeconds: 7, status: { reason: "TooManyRequests" } });
    expect(listsOf(server, "/api/v1/pods")).toHaveLength(2);
    server.remove("v1", "Pod", "a", "default");
    server.create(pod("c"));

    await informer.start();
    expect(events).toEqual(["delete default/a@1001", "add default/c@1004"]);
    expect(listsOf(server, "/api/v1/pods")).toHaveLength(3);
    expect(errors).toHaveLength(1);
  });

  it("goes silent on a stalled watch until its inactivity timeout, then reconnects and misses nothing", async () => {
    const server = await start(pod("a"));
    const watch = new Watch(server.kubeconfig());
    // Watch aborts a stream that has been silent for requestTimeoutMs (30 s by default; private).
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 1_000;
    const informer = new ListWatch<KubernetesObject>("/api/v1/pods", watch, pagedList(server, "/api/v1/pods").list, false);
    cleanups.push(() => informer.stop());
    const { events, seenAt, errors } = record(informer, server);
    await informer.start();
    server.create(pod("b"));
    await waitFor("b", () => events.includes("add default/b@1002"));
    events.splice(0);
    seenAt.splice(0);

    server.stallWatches();
    const stalledAt = server.requests.length;
    server.create(pod("c"));
    server.modify("v1", "Pod", "a", "default", (p) => (p.status = { phase: "Running" }));
    await waitFor("the changes", () => events.length === 2);
    expect(events).toEqual(["add default/c@1003", "update default/a@1004"]);
    // Nothing came through the stalled watch: both arrived after a new watch was requested, from b's RV.
    expect(seenAt.every((n) => n > stalledAt)).toBe(true);
    expect(server.requests.slice(stalledAt).filter((r) => r.watch).map((r) => r.query.resourceVersion)[0]).toBe("1002");

    server.resumeWatches(); // the stalled watch was closed by the client: nothing more comes from it
    server.create(pod("d"));
    await waitFor("the sentinel", () => events.length === 3);
    expect(events[2]).toBe("add default/d@1005");
    expect(errors).toEqual([]);
    expect(listsOf(server, "/api/v1/pods")).toHaveLength(1);
  });
});
