/**
 * Seeded, deterministic request bodies for the intake benchmark: kubewatch CloudEvents carrying a
 * Pod update (obj and oldObj of ~11.5 KB each, ~24 KB in all) and single-alert Alertmanager v4
 * webhooks (~1.4 KB). Sizes follow the reference measurements, so figures stay comparable.
 */
import type { Pod } from "@robusta-ts/sdk";

export const DEFAULT_SEED = 20261123;

/** mulberry32: small, fast and good enough to vary names, numbers and hashes reproducibly. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (rand: () => number, length: number) => Array.from({ length }, () => Math.floor(rand() * 16).toString(16)).join("");
const alnum = (rand: () => number, length: number) =>
  Array.from({ length }, () => "bcdfghjklmnpqrstvwxz2456789"[Math.floor(rand() * 27)]).join("");
const uid = (rand: () => number) => `${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}`;

/** Workloads the pods belong to: [app, namespace, team]. */
const APPS = [
  ["checkout-api", "payments", "checkout"],
  ["payment-gateway", "payments", "checkout"],
  ["search-indexer", "search", "discovery"],
  ["search-frontend", "search", "discovery"],
  ["cart", "shop", "storefront"],
  ["catalog", "shop", "storefront"],
  ["recommendations", "ml", "discovery"],
  ["feature-store", "ml", "data"],
  ["grafana", "monitoring", "platform"],
  ["kube-state-metrics", "monitoring", "platform"],
  ["ingress-nginx-controller", "ingress-nginx", "platform"],
  ["coredns", "kube-system", "platform"],
  ["orders-worker", "orders", "fulfilment"],
  ["notifications", "orders", "fulfilment"],
  ["auth", "identity", "security"],
  ["session-cache", "identity", "security"],
] as const;

/** What the update is about: most pods just change readiness; a few crash or get OOM-killed. */
export type PodTrouble = "none" | "crash_loop" | "oom_killed";
const troubleOf = (i: number): PodTrouble => (i % 16 === 5 ? "crash_loop" : i % 16 === 11 ? "oom_killed" : "none");

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const time = (offsetSeconds: number) => new Date(T0 + offsetSeconds * 1000).toISOString().replace(".000Z", "Z");

/** The managedFields of a Deployment-created pod: the largest part of a real pod's JSON. */
function managedFields(container: string, start: string) {
  return [
    {
      manager: "kube-controller-manager",
      operation: "Update",
      apiVersion: "v1",
      time: start,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": {
          "f:generateName": {},
          "f:labels": { ".": {}, "f:app": {}, "f:pod-template-hash": {}, "f:team": {}, "f:tier": {}, "f:version": {} },
          "f:annotations": { ".": {}, "f:prometheus.io/port": {}, "f:prometheus.io/scrape": {}, "f:kubectl.kubernetes.io/restartedAt": {} },
          "f:ownerReferences": { ".": {}, 'k:{"uid":"owner"}': {} },
        },
        "f:spec": {
          "f:containers": Object.fromEntries(
            [container, "log-shipper"].map((name) => [
              `k:{"name":"${name}"}`,
              {
              ".": {},
              "f:env": Object.fromEntries(["LOG_LEVEL", "PORT", "POD_NAME", "POD_NAMESPACE", "NODE_NAME", "DB_PASSWORD"].map((n) => [`k:{"name":"${n}"}`, { ".": {}, "f:name": {}, "f:value": {} }])),
              "f:image": {},
              "f:imagePullPolicy": {},
              "f:livenessProbe": { ".": {}, "f:failureThreshold": {}, "f:httpGet": { ".": {}, "f:path": {}, "f:port": {}, "f:scheme": {} }, "f:initialDelaySeconds": {}, "f:periodSeconds": {}, "f:successThreshold": {}, "f:timeoutSeconds": {} },
              "f:name": {},
              "f:ports": { ".": {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:name": {}, "f:protocol": {} } },
              "f:readinessProbe": { ".": {}, "f:failureThreshold": {}, "f:httpGet": { ".": {}, "f:path": {}, "f:port": {}, "f:scheme": {} }, "f:periodSeconds": {}, "f:successThreshold": {}, "f:timeoutSeconds": {} },
              "f:resources": { ".": {}, "f:limits": { ".": {}, "f:cpu": {}, "f:memory": {} }, "f:requests": { ".": {}, "f:cpu": {}, "f:memory": {} } },
              "f:securityContext": { ".": {}, "f:allowPrivilegeEscalation": {}, "f:readOnlyRootFilesystem": {}, "f:runAsNonRoot": {} },
              "f:terminationMessagePath": {},
              "f:terminationMessagePolicy": {},
              "f:volumeMounts": { ".": {}, 'k:{"mountPath":"/etc/app"}': { ".": {}, "f:mountPath": {}, "f:name": {}, "f:readOnly": {} } },
              },
            ]),
          ),
          "f:dnsPolicy": {},
          "f:enableServiceLinks": {},
          "f:restartPolicy": {},
          "f:schedulerName": {},
          "f:securityContext": {},
          "f:serviceAccount": {},
          "f:serviceAccountName": {},
          "f:terminationGracePeriodSeconds": {},
          "f:volumes": { ".": {}, 'k:{"name":"config"}': { ".": {}, "f:configMap": { ".": {}, "f:defaultMode": {}, "f:name": {} }, "f:name": {} } },
        },
      },
    },
    {
      manager: "kubelet",
      operation: "Update",
      apiVersion: "v1",
      time: start,
      fieldsType: "FieldsV1",
      subresource: "status",
      fieldsV1: {
        "f:status": {
          "f:conditions": Object.fromEntries(
            ["ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready"].map((t) => [
              `k:{"type":"${t}"}`,
              { ".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {} },
            ]),
          ),
          "f:containerStatuses": {},
          "f:hostIP": {},
          "f:hostIPs": {},
          "f:phase": {},
          "f:podIP": {},
          "f:podIPs": { ".": {}, 'k:{"ip":"10.244.0.1"}': { ".": {}, "f:ip": {} } },
          "f:startTime": {},
        },
      },
    },
  ];
}

/** One pod of the pool, in its state after the update. Realistic in shape and size (~11.5 KB). */
export function benchPod(seed: number, i: number): Pod {
  const rand = random(seed + i * 7919);
  const [app, namespace, team] = APPS[i % APPS.length]!;
  const hash = alnum(rand, 10);
  const name = `${app}-${hash}-${alnum(rand, 5)}`;
  const node = `ip-10-0-${Math.floor(rand() * 64)}-${Math.floor(rand() * 250)}.eu-west-1.compute.internal`;
  const podIP = `10.244.${Math.floor(rand() * 32)}.${Math.floor(rand() * 250)}`;
  const start = time(-Math.floor(rand() * 86_400));
  const image = `registry.example.com/${team}/${app}:1.${Math.floor(rand() * 40)}.${Math.floor(rand() * 10)}`;
  const trouble = troubleOf(i);
  const restarts = trouble === "crash_loop" ? 4 + Math.floor(rand() * 6) : trouble === "oom_killed" ? 1 : 0;
  const condition = (type: string, status = "True") => ({ type, status, lastProbeTime: null, lastTransitionTime: start });
  const probe = (path: string, extra: object) => ({
    httpGet: { path, port: 8080, scheme: "HTTP" },
    timeoutSeconds: 2,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
    ...extra,
  });
  const fieldEnv = (n: string, fieldPath: string) => ({ name: n, valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } } });
  const state =
    trouble === "crash_loop"
      ? { waiting: { reason: "CrashLoopBackOff", message: `back-off 2m40s restarting failed container=${app} pod=${name}_${namespace}(${uid(rand)})` } }
      : trouble === "oom_killed"
        ? { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: start, finishedAt: time(-30), containerID: `containerd://${hex(rand, 64)}` } }
        : { running: { startedAt: start } };
  const healthy = trouble === "none";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      generateName: `${app}-${hash}-`,
      namespace,
      uid: uid(rand),
      resourceVersion: String(10_000_000 + Math.floor(rand() * 9_000_000)),
      creationTimestamp: start,
      labels: { app, "pod-template-hash": hash, team, tier: i % 3 === 0 ? "frontend" : "backend", version: `v1.${Math.floor(rand() * 40)}` },
      annotations: {
        "prometheus.io/port": "9090",
        "prometheus.io/scrape": "true",
        "kubectl.kubernetes.io/restartedAt": time(-200_000),
        "checksum/config": hex(rand, 64),
      },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `${app}-${hash}`, uid: uid(rand), controller: true, blockOwnerDeletion: true }],
      managedFields: managedFields(app, start),
    },
    spec: {
      volumes: [
        { name: "config", configMap: { name: `${app}-config`, defaultMode: 420 } },
        { name: "tls", secret: { secretName: `${app}-tls`, defaultMode: 420 } },
        {
          name: `kube-api-access-${alnum(rand, 5)}`,
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: [
        {
          name: app,
          image,
          ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }, { name: "metrics", containerPort: 9090, protocol: "TCP" }],
          env: [
            { name: "LOG_LEVEL", value: "info" },
            { name: "PORT", value: "8080" },
            { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://otel-collector.monitoring.svc.cluster.local:4317" },
            { name: "OTEL_SERVICE_NAME", value: app },
            { name: "REDIS_URL", value: "redis://session-cache.identity.svc.cluster.local:6379/0" },
            { name: "KAFKA_BROKERS", value: "kafka-0.kafka-headless.data.svc.cluster.local:9092,kafka-1.kafka-headless.data.svc.cluster.local:9092" },
            { name: "FEATURE_FLAGS", value: "new-checkout=false,fast-search=true,async-email=true" },
            fieldEnv("POD_NAME", "metadata.name"),
            fieldEnv("POD_NAMESPACE", "metadata.namespace"),
            fieldEnv("NODE_NAME", "spec.nodeName"),
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${app}-db`, key: "password" } } },
            { name: "GOMAXPROCS", valueFrom: { resourceFieldRef: { containerName: app, resource: "limits.cpu", divisor: "1" } } },
          ],
          resources: { limits: { cpu: "1", memory: "512Mi" }, requests: { cpu: "250m", memory: "256Mi" } },
          volumeMounts: [
            { name: "config", readOnly: true, mountPath: "/etc/app" },
            { name: "tls", readOnly: true, mountPath: "/etc/tls" },
            { name: "kube-api-access", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
          ],
          livenessProbe: probe("/healthz", { initialDelaySeconds: 10 }),
          readinessProbe: probe("/readyz", {}),
          startupProbe: probe("/healthz", { failureThreshold: 30, periodSeconds: 2 }),
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          imagePullPolicy: "IfNotPresent",
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        },
        {
          name: "log-shipper",
          image: "registry.example.com/platform/fluent-bit:3.2.4",
          args: ["--config=/fluent-bit/etc/fluent-bit.yaml", "--storage_path=/var/fluent-bit/state"],
          env: [
            { name: "FLUENT_ELASTICSEARCH_HOST", value: "logs.monitoring.svc.cluster.local" },
            { name: "FLUENT_ELASTICSEARCH_PORT", value: "9200" },
            fieldEnv("POD_NAME", "metadata.name"),
            fieldEnv("POD_NAMESPACE", "metadata.namespace"),
          ],
          ports: [{ name: "fluent-metrics", containerPort: 2020, protocol: "TCP" }],
          resources: { limits: { memory: "128Mi" }, requests: { cpu: "20m", memory: "64Mi" } },
          volumeMounts: [
            { name: "config", readOnly: true, mountPath: "/fluent-bit/etc" },
            { name: "kube-api-access", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
          ],
          livenessProbe: { httpGet: { path: "/api/v1/health", port: 2020, scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          imagePullPolicy: "IfNotPresent",
        },
      ],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      serviceAccountName: app,
      serviceAccount: app,
      nodeName: node,
      securityContext: { runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
      schedulerName: "default-scheduler",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
    status: {
      phase: "Running",
      conditions: [
        condition("PodReadyToStartContainers"),
        condition("Initialized"),
        condition("Ready", healthy ? "True" : "False"),
        condition("ContainersReady", healthy ? "True" : "False"),
        condition("PodScheduled"),
      ],
      hostIP: `10.0.${Math.floor(rand() * 64)}.${Math.floor(rand() * 250)}`,
      hostIPs: [{ ip: `10.0.${Math.floor(rand() * 64)}.${Math.floor(rand() * 250)}` }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: start,
      containerStatuses: [
        {
          name: app,
          state,
          ...(restarts > 0 && {
            lastState: { terminated: { exitCode: trouble === "oom_killed" ? 137 : 1, reason: trouble === "oom_killed" ? "OOMKilled" : "Error", startedAt: start, finishedAt: time(-60) } },
          }),
          ready: healthy,
          restartCount: restarts,
          image,
          imageID: `${image.split(":")[0]}@sha256:${hex(rand, 64)}`,
          containerID: `containerd://${hex(rand, 64)}`,
          started: healthy,
        },
        {
          name: "log-shipper",
          state: { running: { startedAt: start } },
          ready: true,
          restartCount: 0,
          image: "registry.example.com/platform/fluent-bit:3.2.4",
          imageID: `registry.example.com/platform/fluent-bit@sha256:${hex(rand, 64)}`,
          containerID: `containerd://${hex(rand, 64)}`,
          started: true,
        },
      ],
      qosClass: "Burstable",
    },
    // The API server's JSON (lastProbeTime: null) is looser than the Pod type.
  } as unknown as Pod;
}

/** The same pod one resourceVersion earlier, still healthy: what an `update` carries as oldObj. */
function previousState(pod: Pod): Pod {
  const old = structuredClone(pod);
  old.metadata = { ...old.metadata, resourceVersion: String(Number(old.metadata!.resourceVersion) - 1) };
  const status = old.status!.containerStatuses![0]!;
  Object.assign(status, { ready: true, started: true, restartCount: Math.max(0, status.restartCount - 1), state: { running: { startedAt: old.status!.startTime } } });
  delete status.lastState;
  for (const condition of old.status!.conditions!) condition.status = "True";
  return old;
}

/** kubewatch CloudEvent bodies for POST /api/handle, one per pod of the pool. */
export function kubewatchBodies(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const obj = benchPod(seed, i);
    const oldObj = previousState(obj);
    // kubewatch's typed informers leave kind/apiVersion off the objects.
    for (const o of [obj, oldObj] as Record<string, unknown>[]) {
      delete o.kind;
      delete o.apiVersion;
    }
    return JSON.stringify({
      specversion: "1.0",
      type: "io.kubewatch.pod.update",
      source: "https://github.com/robusta-dev/kubewatch",
      id: `${seed}-${i}`,
      time: time(i),
      datacontenttype: "application/json",
      data: {
        operation: "update",
        kind: "Pod",
        apiVersion: "v1",
        clusterUid: "5b8d6f1e-2c3a-4b7d-9e0f-1a2b3c4d5e6f",
        description: "",
        obj,
        oldObj,
      },
    });
  });
}

/** Alert names of the pool; the benchmark's playbooks filter on these and on others that never come. */
export const ALERT_NAMES = [
  "KubePodCrashLooping",
  "KubePodNotReady",
  "KubeContainerWaiting",
  "CPUThrottlingHigh",
  "KubeDeploymentReplicasMismatch",
  "TargetDown",
  "KubeHpaMaxedOut",
  "KubeJobFailed",
] as const;

/** Single-alert Alertmanager v4 webhook bodies for POST /api/alerts, each naming a pod of the pool. */
export function alertBodies(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const rand = random(seed ^ (0x9e3779b9 + i));
    const pod = benchPod(seed, i);
    const alertname = ALERT_NAMES[i % ALERT_NAMES.length]!;
    const status = i % 5 === 4 ? "resolved" : "firing";
    const labels = {
      alertname,
      container: pod.spec!.containers[0]!.name,
      instance: `10.244.${Math.floor(rand() * 32)}.${Math.floor(rand() * 250)}:8080`,
      job: "kube-state-metrics",
      namespace: pod.metadata!.namespace!,
      pod: pod.metadata!.name!,
      severity: i % 3 === 0 ? "critical" : "warning",
    };
    const annotations = {
      description: `Pod ${labels.namespace}/${labels.pod} (${labels.container}) has been in this state for more than 15 minutes.`,
      runbook_url: `https://runbooks.prometheus-operator.dev/runbooks/kubernetes/${alertname.toLowerCase()}`,
    };
    const alert = {
      status,
      labels,
      annotations,
      startsAt: `${time(-900 - i)}`.replace("Z", ".130594397Z"),
      endsAt: status === "resolved" ? time(i) : "0001-01-01T00:00:00Z",
      generatorURL: `http://prometheus.monitoring:9090/graph?g0.expr=${encodeURIComponent(`kube_pod_status_ready{condition="false"} == 1`)}`,
      fingerprint: hex(rand, 16),
    };
    return JSON.stringify({
      receiver: "robusta",
      status,
      alerts: [alert],
      groupLabels: {},
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: "http://alertmanager.monitoring:9093",
      version: "4",
      groupKey: `{}/{}:{alertname="${alertname}", namespace="${labels.namespace}", pod="${labels.pod}"}`,
      truncatedAlerts: 0,
    });
  });
}
