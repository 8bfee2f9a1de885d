import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { tempPlaybooks } from "../dev/temp-playbooks.js";

type Obj = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };

let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const IMAGE = ["--set", "clusterName=test", "--set", "runner.image.repository=ghcr.io/example/runner"];

async function render(...args: string[]): Promise<Obj[]> {
  const code = await main(["manifests", ...IMAGE, ...args]);
  expect(code, err).toBe(0);
  return YAML.parseAllDocuments(out).map((doc) => doc.toJS() as Obj);
}

const find = (objects: Obj[], kind: string, name?: string) => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ""}`);
  return found;
};
const WRITE = /^(create|update|patch|delete|deletecollection|\*)$/;
const writes = (role: Obj) => (role.rules as { resources: string[]; verbs: string[] }[]).filter((r) => r.verbs.some((v) => WRITE.test(v)));

describe("robusta manifests", () => {
  it("prints the chart's objects for kubectl", async () => {
    const objects = await render("--namespace", "monitoring", "--release", "ops");
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "ServiceAccount/ops-runner",
      "Secret/ops-runner-config",
      "ClusterRole/monitoring-ops-runner",
      "ClusterRoleBinding/monitoring-ops-runner",
      "Role/ops-runner",
      "RoleBinding/ops-runner",
      "Service/ops-runner",
      "Deployment/ops-runner",
    ]);
    for (const o of objects.filter((o) => !o.kind.startsWith("Cluster"))) expect(o.metadata.namespace).toBe("monitoring");
    const service = find(objects, "Service");
    expect(service.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
  });

  it("runs one runner, non-root on a read-only root filesystem, with probes and small resources", async () => {
    const deployment = find(await render(), "Deployment");
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe("Recreate");
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const [container] = pod.containers;
    expect(container.image).toBe("ghcr.io/example/runner:latest");
    expect(container.args).toEqual(["run"]);
    expect(container.securityContext).toEqual({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container.ports).toEqual([{ name: "http", containerPort: 5000, protocol: "TCP" }]);
    expect(container.resources.limits.memory).toBe("384Mi");
    expect(container.volumeMounts).toContainEqual({ name: "config", mountPath: "/etc/robusta", readOnly: true });
    expect(container.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
    expect(container.env).toContainEqual({ name: "PLAYBOOKS_CONFIG_FILE_PATH", value: "/etc/robusta/values.yaml" });
    expect(deployment.spec.template.metadata.annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("grants no write verb by default", async () => {
    const objects = await render();
    expect(writes(find(objects, "ClusterRole"))).toEqual([]);
    expect(find(objects, "Role").rules).toContainEqual({ apiGroups: [""], resources: ["configmaps"], resourceNames: ["robusta-rate-limits", "scheduled-jobs"], verbs: ["get", "patch"] });
  });

  it("grants the writes of the remediation actions named, and extra rules", async () => {
    const role = find(
      await render("--set", "rbac.remediationActions=[delete_pod]", "--set", "rbac.extraRules=[{apiGroups: [''], resources: [secrets], verbs: [get]}]"),
      "ClusterRole",
    );
    expect(writes(role)).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "delete"] }]);
    expect(role.rules).toContainEqual({ apiGroups: [""], resources: ["secrets"], verbs: ["get"] });
  });

  it("computes the ClusterRole from the values' playbooks", async () => {
    const dir = await mkdtemp(join(tmpdir(), "manifests-"));
    const file = join(dir, "values.yaml");
    await writeFile(file, "customPlaybooks:\n  - triggers: [{on_deployment_update: {}}]\n    actions: [{rollout_restart: {}}]\n");
    const role = find(await render("--values", file), "ClusterRole");
    expect(role.rules).toContainEqual({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch", "patch"] });
    expect(writes(role)).toContainEqual({ apiGroups: ["apps"], resources: ["daemonsets", "statefulsets"], verbs: ["get", "list", "patch"] });
  });

  it("takes Helm's --set forms: {a,b} lists, and a fraction as text", async () => {
    const objects = await render("--set", "rbac.remediationActions={delete_pod, rollout_restart}", "--set", "runner.image.tag=1.5");
    expect(writes(find(objects, "ClusterRole")).flatMap((r) => r.resources)).toEqual(expect.arrayContaining(["pods", "deployments"]));
    expect(find(objects, "Deployment").spec.template.spec.containers[0].image).toBe("ghcr.io/example/runner:1.5");
  });

  it("grants the writes of the playbook modules' own actions named in rbac.remediationActions", async () => {
    const module = await tempPlaybooks({
      "index.ts": [
        'import { defineAction, definePlaybook, EventClasses, onDeploymentUpdate } from "@robusta-ts/sdk";',
        "export const scaleToZero = defineAction({",
        '  name: "scale_to_zero",',
        "  event: EventClasses.Deployment,",
        '  permissions: [{ apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] }],',
        "  run() {},",
        "});",
        "export const scaleDown = definePlaybook({",
        '  name: "ScaleDown",',
        "  triggers: [onDeploymentUpdate()],",
        "  async run(event, ctx) {",
        "    await scaleToZero(event, ctx, {});",
        "  },",
        "});",
      ].join("\n"),
    });
    try {
      const role = find(await render("--set", "rbac.remediationActions=[scale_to_zero]", module.dir), "ClusterRole");
      expect(writes(role)).toEqual([{ apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] }]);
      // Without the modules the action is unknown: the message says to name them.
      expect(await main(["manifests", ...IMAGE, "--set", "rbac.remediationActions=[scale_to_zero]"])).toBe(1);
      expect(err).toContain("name your playbook modules");
    } finally {
      await module.remove();
    }
  });

  it("computes it from playbook modules too", async () => {
    const module = fileURLToPath(new URL("../../../examples/crash-loops/playbooks", import.meta.url));
    const role = find(await render(module), "ClusterRole");
    expect(role.rules).toContainEqual(expect.objectContaining({ resources: ["pods"], verbs: expect.arrayContaining(["watch"]) }));
  });

  it("keeps secrets out of the config: sinks reference the environment", async () => {
    const file = fileURLToPath(new URL("../../../charts/robusta-ts/examples/remediation-values.yaml", import.meta.url));
    const objects = await render("--values", file);
    const config = find(objects, "Secret").stringData["values.yaml"] as string;
    expect(config).toContain("{{ env.SLACK_TOKEN }}");
    expect(YAML.parse(config)).not.toHaveProperty("runner");
    const runner = find(objects, "Deployment", "robusta-runner").spec.template.spec.containers[0];
    expect(runner.env).toContainEqual({ name: "SLACK_TOKEN", valueFrom: { secretKeyRef: { name: "robusta-secrets", key: "slack-token" } } });
    const forwarder = find(objects, "Deployment", "robusta-forwarder").spec.template.spec.containers[0];
    expect(forwarder.args).toEqual(["forwarder", "--runner-url", "http://robusta-runner.robusta.svc.cluster.local:80", "--port", "2112"]);
    // The forwarder watches, so the runner does not watch too.
    expect(runner.env).toContainEqual({ name: "ROBUSTA_WATCH_CLUSTER", value: "false" });
  });

  it("mounts an existing Secret instead of making one", async () => {
    const objects = await render("--set", "existingSecret=my-config");
    expect(objects.some((o) => o.kind === "Secret")).toBe(false);
    expect(find(objects, "Deployment").spec.template.spec.volumes).toContainEqual({ name: "config", secret: { secretName: "my-config" } });
  });

  it("says what is wrong with the values", async () => {
    expect(await main(["manifests", "--set", "clusterName=test"])).toBe(1);
    expect(err).toContain("runner.image.repository is required");
    err = "";
    expect(await main(["manifests", ...IMAGE, "--set", "rbac.remediationActions=[delete_pods]"])).toBe(1);
    expect(err).toContain('unknown action "delete_pods"');
    err = "";
    expect(await main(["manifests", ...IMAGE, "--set", "runner.imag.tag=1"])).toBe(1);
    expect(err).toMatch(/runner.*imag/);
    expect(await main(["manifests", "--release", "Bad_Name"])).toBe(2);
  });
});
