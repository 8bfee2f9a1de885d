/**
 * `robusta manifests` output against a real API server: every object is accepted by a server-side
 * dry run (schema, RBAC rule shapes, names), with `kubectl apply --dry-run=server` when a kubectl
 * is on PATH, and otherwise the same dry run through @kubernetes/client-node (dryRun "All").
 */
import { spawnSync } from "node:child_process";
import { KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { expect, it } from "vitest";
import { DEFAULT_VALUES, manifestObjects, mergeValues, toYamlDocuments, validateValues } from "../../runtime/src/manifests/index.js";
import { describeCluster, withNamespace } from "./support.js";

const example = fileURLToPath(new URL("../../charts/robusta-ts/examples/remediation-values.yaml", import.meta.url));
const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;

function render(namespace: string, over: Record<string, unknown>) {
  const values = validateValues(mergeValues(mergeValues(structuredClone(DEFAULT_VALUES), over), { clusterName: "e2e", runner: { image: { repository: "ghcr.io/example/runner" } } }), "test");
  return manifestObjects(values, { name: "e2e", namespace });
}

describeCluster("robusta manifests on a real API server", (kc) => {
  async function dryRun(objects: KubernetesObject[]): Promise<void> {
    if (kubectl) {
      const result = spawnSync("kubectl", ["apply", "--dry-run=server", "-f", "-"], { input: toYamlDocuments(objects as never), encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout.trim().split("\n")).toHaveLength(objects.length);
      return;
    }
    const api = KubernetesObjectApi.makeApiClient(kc);
    for (const object of objects) await api.create(object, undefined, "All");
  }

  it("accepts the default objects", async () => {
    await withNamespace(kc, (namespace) => dryRun(render(namespace, {}) as KubernetesObject[]), "manifests");
  });

  it("accepts the objects with the forwarder, remediation actions and env from Secrets", async () => {
    const over = YAML.parse(await import("node:fs/promises").then((fs) => fs.readFile(example, "utf8")));
    await withNamespace(kc, (namespace) => dryRun(render(namespace, over) as KubernetesObject[]), "manifests");
  });
});
