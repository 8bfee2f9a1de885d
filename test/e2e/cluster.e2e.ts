/**
 * Proves the e2e harness against the real API server: everything the runner's end-to-end tests
 * build on (namespaces, pods with faked kubelet status, watches, pod logs through the fake kubelet,
 * Warning Events, Alertmanager notifications, cleanup of pods bound to the fake node).
 */
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import { CoreV1Api, EventsV1Api, KubeConfig, Watch, type V1Pod } from "@kubernetes/client-node";
import { expect, it } from "vitest";
import {
  core,
  crashLoopStatus,
  createWarningEvent,
  describeCluster,
  e2eEnv,
  involvedObject,
  patchPodStatus,
  podManifest,
  setPodLogs,
  uniqueSuffix,
  waitFor,
  withNamespace,
} from "./support.js";

describeCluster("the e2e cluster", (kc) => {
  it("fakes a CrashLoopBackOff through the status subresource, seen by a watch and read back", () =>
    withNamespace(kc, async (namespace) => {
      const created = await core(kc).createNamespacedPod({ namespace, body: podManifest("web-0") });
      expect(created.spec?.nodeName).toBe(e2eEnv.fakeNode);

      const seen: V1Pod[] = [];
      const watch = await new Watch(kc).watch(
        `/api/v1/namespaces/${namespace}/pods`,
        { resourceVersion: created.metadata?.resourceVersion },
        (type: string, pod: V1Pod) => { if (type === "MODIFIED") seen.push(pod); },
        () => undefined,
      );
      try {
        const patched = await patchPodStatus(kc, namespace, "web-0", crashLoopStatus({ restartCount: 5 }));
        expect(patched.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("CrashLoopBackOff");

        const modified = await waitFor(() => seen.find((pod) => pod.status?.containerStatuses?.[0]?.restartCount === 5), {
          what: "the watch to deliver the CrashLoopBackOff as MODIFIED",
          timeoutMs: 10_000,
        });
        expect(modified.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("CrashLoopBackOff");
      } finally {
        watch.abort(); // an open watch would keep kube-apiserver from stopping on SIGTERM
      }

      const read = await core(kc).readNamespacedPod({ name: "web-0", namespace });
      const status = read.status?.containerStatuses?.[0];
      expect(read.status?.phase).toBe("Running");
      expect(status).toMatchObject({ name: "app", ready: false, restartCount: 5, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
    }, "crash"));

  it("reads pod logs through the fake kubelet, current and previous", (ctx) => {
    if (!e2eEnv.fakeNode || !e2eEnv.podLogsDir) return ctx.skip("no fake node and kubelet (scripts/e2e/with-kube-local.sh sets them up)");
    return withNamespace(kc, async (namespace) => {
      await core(kc).createNamespacedPod({ namespace, body: podManifest("web-0") });
      await setPodLogs(namespace, "web-0", "app", { current: "starting\nready\n", previous: "starting\nERROR db timeout\npanic: boom\n" });

      const current = await core(kc).readNamespacedPodLog({ name: "web-0", namespace, container: "app" });
      expect(current).toBe("starting\nready\n");
      const previous = await core(kc).readNamespacedPodLog({ name: "web-0", namespace, container: "app", previous: true, tailLines: 2 });
      expect(previous).toBe("ERROR db timeout\npanic: boom\n");

      await setPodLogs(namespace, "web-0", "app", { error: 'container "app" in pod "web-0" is waiting to start: ContainerCreating' });
      await expect(core(kc).readNamespacedPodLog({ name: "web-0", namespace, container: "app" })).rejects.toMatchObject({ code: 400 });
    }, "logs");
  });

  it("creates Warning Events through core/v1 and events.k8s.io/v1, listed by type=Warning", () =>
    withNamespace(kc, async (namespace) => {
      const pod = await core(kc).createNamespacedPod({ namespace, body: podManifest("web-0") });
      await createWarningEvent(kc, involvedObject(pod), { reason: "BackOff", message: "Back-off restarting failed container", count: 3 });
      await createWarningEvent(kc, involvedObject(pod), { reason: "OOMKilling", message: "Memory cgroup out of memory", api: "events.k8s.io/v1" });

      const coreList = await core(kc).listNamespacedEvent({ namespace, fieldSelector: "type=Warning,involvedObject.name=web-0" });
      expect(coreList.items.map((event) => event.reason).sort()).toEqual(["BackOff", "OOMKilling"]);
      const v1List = await kc.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace, fieldSelector: "type=Warning" });
      const backOff = v1List.items.find((event) => event.reason === "BackOff");
      expect(backOff).toMatchObject({ regarding: { kind: "Pod", name: "web-0", uid: pod.metadata?.uid }, note: "Back-off restarting failed container" });
    }, "events"));

  it("cleans up a namespace whose pod is bound to the fake node", async () => {
    let namespace = "";
    await withNamespace(kc, async (ns) => {
      namespace = ns;
      await core(kc).createNamespacedPod({ namespace: ns, body: podManifest("web-0") });
    }, "cleanup");
    await expect(core(kc).readNamespacedPod({ name: "web-0", namespace })).rejects.toMatchObject({ code: 404 });
    // The namespace controller finishes only once no pod is left: a bound pod deleted gracefully would block it.
    await waitFor(() => core(kc).readNamespace({ name: namespace }).then(() => false, (error: { code?: number }) => error.code === 404), {
      what: `namespace ${namespace} to be deleted`,
      timeoutMs: 60_000,
      intervalMs: 500,
    });
  });

  it("denies the no-RBAC runtime user", async (ctx) => {
    const file = e2eEnv.runtimeUserKubeconfig;
    if (!file) return ctx.skip("no E2E_RUNTIME_USER_KUBECONFIG");
    const user = new KubeConfig();
    user.loadFromFile(file);
    await expect(user.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "default" })).rejects.toMatchObject({ code: 403 });
  });

  it("Alertmanager delivers a firing alert to the webhook", async (ctx) => {
    const { alertmanagerUrl, alertWebhookUrl } = e2eEnv;
    if (!alertmanagerUrl || !alertWebhookUrl) return ctx.skip("no Alertmanager (scripts/e2e/with-kube-local.sh starts one)");
    const webhook = new URL(alertWebhookUrl);
    const received: unknown[] = [];
    const server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url === webhook.pathname) received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200).end();
    });
    server.listen(Number(webhook.port), webhook.hostname);
    await once(server, "listening");
    try {
      const alertname = `E2EHarness${uniqueSuffix()}`; // new labels: Alertmanager re-sends an unchanged alert only after repeat_interval
      const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify([{ labels: { alertname, severity: "warning", namespace: "demo", pod: "web-0" }, annotations: { summary: "harness check" } }]),
      });
      expect(response.status).toBe(200);
      const payload = await waitFor(() => received[0], { what: "Alertmanager's webhook notification", timeoutMs: 15_000 });
      expect(payload).toMatchObject({ version: "4", status: "firing", alerts: [{ labels: { alertname, pod: "web-0" } }] });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
