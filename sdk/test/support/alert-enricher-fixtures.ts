/**
 * Objects, alerts and Prometheus answers for the alert enricher tests: nodes with versions and
 * addresses, pods with resources and OOM kills, APIServices, and a Prometheus on 127.0.0.1 that
 * answers each PromQL query with the series a test gives it, in the real API's shapes.
 */
import { randomUUID } from "node:crypto";
import { alertEvent } from "../../src/events/alertmanager.js";
import type { KubernetesObject, Node, Pod, PrometheusAlertEvent } from "../../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../../src/testing/index.js";
import { startFakeServer, type FakeServer, type Reply } from "../fixtures/prometheus/server.js";
import { TestContext } from "./test-context.js";

export const NOW = "2026-11-23T04:36:44Z";
const NOW_SECONDS = Date.parse(NOW) / 1000;

/** A node with a kubelet version, an InternalIP and `cpu` cores. */
export function node(name = "node-1", options: { kubeletVersion?: string; ip?: string; cpu?: string } = {}): Node {
  const base = fixtures.node({ name, capacity: { cpu: options.cpu ?? "4", memory: "16Gi", pods: "110" } });
  return {
    ...base,
    status: {
      ...base.status,
      addresses: [{ type: "InternalIP", address: options.ip ?? "10.0.0.5" }, { type: "Hostname", address: name }],
      nodeInfo: {
        kubeletVersion: options.kubeletVersion ?? "v1.29.3",
        kubeProxyVersion: options.kubeletVersion ?? "v1.29.3",
        architecture: "amd64",
        operatingSystem: "linux",
        osImage: "Ubuntu 22.04.4 LTS",
        kernelVersion: "6.5.0-1017-aws",
        containerRuntimeVersion: "containerd://1.7.13",
        machineID: "",
        systemUUID: "",
        bootID: "",
      },
    },
  };
}

/** Resources of a pod's first container, as written in a manifest. */
export interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** A running pod on `nodeName` whose containers have `resources` (all of them, or by container name). */
export function podOn(
  nodeName: string,
  name: string,
  options: { namespace?: string; containers?: string[]; resources?: Resources | Record<string, Resources>; tolerations?: string[] } = {},
): Pod {
  const base = fixtures.pod({ name, namespace: options.namespace ?? "prod", nodeName, ...(options.containers && { containers: options.containers }) });
  const resourcesOf = (container: string): Resources | undefined => {
    const given = options.resources;
    if (!given) return undefined;
    return "requests" in given || "limits" in given ? (given as Resources) : (given as Record<string, Resources>)[container];
  };
  return {
    ...base,
    spec: {
      ...base.spec!,
      containers: base.spec!.containers.map((container) => {
        const resources = resourcesOf(container.name);
        return resources ? { ...container, resources } : container;
      }),
      ...(options.tolerations && { tolerations: options.tolerations.map((key) => ({ key, operator: "Exists" })) }),
    },
  };
}

/** The pod with `container` OOM-killed at `finishedAt`: still terminated, or (restarted) in its last state. */
export function oomKilledAt(pod: Pod, container: string, finishedAt: string, restarted = false): Pod {
  const terminated = { exitCode: 137, reason: "OOMKilled", startedAt: "2026-11-23T03:00:00Z", finishedAt };
  return {
    ...pod,
    status: {
      ...pod.status,
      containerStatuses: (pod.status?.containerStatuses ?? []).map((status) =>
        status.name !== container
          ? status
          : restarted
            ? { ...status, restartCount: status.restartCount + 1, lastState: { terminated } }
            : { ...status, ready: false, started: false, state: { terminated } },
      ),
    },
  };
}

/** A kube-apiserver static pod, as kubeadm runs it. */
export function apiServerPod(version: string, nodeName = "control-plane-1"): Pod {
  const base = fixtures.pod({ name: `kube-apiserver-${nodeName}`, namespace: "kube-system", nodeName, image: `registry.k8s.io/kube-apiserver:${version}` });
  return { ...base, metadata: { ...base.metadata, labels: { component: "kube-apiserver", tier: "control-plane" } } };
}

/** An APIService pointing at a service, with its Available condition. */
export function apiService(
  name: string,
  available: { status: "True" | "False"; reason: string; message?: string },
  service: { namespace: string; name: string; port?: number } | undefined = { namespace: "kube-system", name: "metrics-server", port: 443 },
): KubernetesObject {
  const [version, ...group] = name.split(".");
  return {
    apiVersion: "apiregistration.k8s.io/v1",
    kind: "APIService",
    metadata: { name, uid: randomUUID(), resourceVersion: "1", creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { group: group.join("."), version, groupPriorityMinimum: 100, versionPriority: 100, ...(service && { service }) },
    status: {
      conditions: [
        { type: "Available", lastTransitionTime: "2026-11-23T04:20:00Z", ...available, ...(available.message === undefined && { message: "" }) },
      ],
    },
  } as KubernetesObject;
}

/** A Service, for the objects APIServices point to and the kubelet Services of the Prometheus operator. */
export function service(namespace: string, name: string, labels: Record<string, string> = {}): KubernetesObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace, uid: randomUUID(), labels } };
}

/** An alert, firing, with the objects the engine would have resolved from its labels. */
export function alertOn(name: string, labels: Record<string, string>, objects: Partial<Pick<PrometheusAlertEvent, "pod" | "node">> = {}): PrometheusAlertEvent {
  const event = fixtures.alert({ name, labels, startsAt: "2026-11-23T04:30:00Z" });
  const obj = objects.node ?? objects.pod;
  return { ...alertEvent(event), ...objects, obj };
}

/** An instant query's answer: one sample per series, as Prometheus writes it. */
export function vector(series: readonly (readonly [Record<string, string>, number | string])[]): Reply {
  const result = series.map(([metric, value]) => ({ metric, value: [NOW_SECONDS, String(value)] }));
  return { status: 200, body: JSON.stringify({ status: "success", data: { resultType: "vector", result } }) };
}

/** A range query's answer: one series per label set, a sample a minute over the last 10 minutes. */
export function matrix(series: readonly (readonly [Record<string, string>, number])[]): Reply {
  const result = series.map(([metric, value]) => ({
    metric,
    values: Array.from({ length: 10 }, (_, i) => [NOW_SECONDS - (9 - i) * 60, String(value)]),
  }));
  return { status: 200, body: JSON.stringify({ status: "success", data: { resultType: "matrix", result } }) };
}

/**
 * Captured from Prometheus 2.42 (`GET /api/v1/rules`) with two groups: general.rules, healthy, and
 * kubelet.rules, whose recording rule fails ("many-to-one matching must be explicit").
 */
export const CAPTURED_RULES: Reply = {
  status: 200,
  body: '{"status":"success","data":{"groups":[{"name":"general.rules","file":"rules.yml","rules":[{"state":"firing","name":"Watchdog","query":"vector(1)","duration":0,"keepFiringFor":0,"labels":{},"annotations":{},"alerts":[{"labels":{"alertname":"Watchdog"},"annotations":{},"state":"firing","activeAt":"2026-11-23T04:51:15.647266341Z","value":"1e+00"}],"health":"ok","evaluationTime":0.000215422,"lastEvaluation":"2026-11-23T04:51:19.648397131Z","type":"alerting"}],"interval":1,"limit":0,"evaluationTime":0.000234861,"lastEvaluation":"2026-11-23T04:51:19.648380426Z"},{"name":"kubelet.rules","file":"rules.yml","rules":[{"name":"node_quantile:kubelet_pleg_relist_duration_seconds:histogram_quantile","query":"prometheus_http_requests_total * on (job) up","health":"err","lastError":"multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)","evaluationTime":0.000559305,"lastEvaluation":"2026-11-23T04:51:19.57113103Z","type":"recording"},{"state":"pending","name":"KubeletDown","query":"absent(up{job=\\"kubelet\\"})","duration":900,"keepFiringFor":0,"labels":{},"annotations":{},"alerts":[{"labels":{"alertname":"KubeletDown","job":"kubelet"},"annotations":{},"state":"pending","activeAt":"2026-11-23T04:51:15.57011979Z","value":"1e+00"}],"health":"ok","evaluationTime":0.000099458,"lastEvaluation":"2026-11-23T04:51:19.571692438Z","type":"alerting"}],"interval":1,"limit":0,"evaluationTime":0.0007645,"lastEvaluation":"2026-11-23T04:51:19.571029468Z"}]}}',
};

/** Answers: by PromQL (exact, or a test on it) for query and query_range, by path otherwise. */
export interface PrometheusAnswers {
  readonly queries?: readonly (readonly [string | RegExp, Reply])[];
  readonly paths?: Readonly<Record<string, Reply>>;
}

/** A Prometheus answering `answers`; unknown queries get an empty vector (what Prometheus gives for absent metrics). */
export function startPrometheus(answers: PrometheusAnswers): Promise<FakeServer> {
  return startFakeServer((request) => {
    const query = request.query.get("query");
    if (query !== null && (request.path === "/api/v1/query" || request.path === "/api/v1/query_range")) {
      const found = answers.queries?.find(([match]) => (typeof match === "string" ? match === query : match.test(query)));
      return found?.[1] ?? (request.path === "/api/v1/query" ? vector([]) : matrix([]));
    }
    return answers.paths?.[request.path];
  });
}

/** A context over `cluster` at NOW, with prometheus_url set when a server is given. */
export function contextFor(cluster: InMemoryCluster, prometheus?: FakeServer): TestContext {
  return new TestContext(cluster, prometheus ? { prometheus_url: prometheus.url } : {}, new MemoryLogger(), new FakeClock(NOW));
}
