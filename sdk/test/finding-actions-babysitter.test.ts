import { describe, expect, it } from "vitest";
import { resourceBabysitter, type DiffBlock, type KubernetesChangeEvent } from "../src/index.js";
import { fixtures } from "../src/testing/index.js";
import { deployment } from "./support/finding-fixtures.js";
import { TestContext } from "./support/test-context.js";

const before = deployment({ image: "registry.example/web:1.0", resourceVersion: "1" });
const after = deployment({ image: "registry.example/web:1.1", resourceVersion: "2" });

async function babysit(event: KubernetesChangeEvent, ignoredNamespaces?: string[]) {
  const ctx = new TestContext();
  await resourceBabysitter(event, ctx, ignoredNamespaces ? { ignoredNamespaces } : {});
  return ctx;
}

describe("resource_babysitter", () => {
  it('reports an update as a configuration-change finding "<name> updated" with the changed fields', async () => {
    const ctx = await babysit(fixtures.change("update", after, before));
    expect(ctx.findings).toEqual([
      {
        title: "web updated",
        description: "Updates to significant fields: 0 additions, 0 deletions, 1 changes.",
        aggregationKey: "ConfigurationChange/KubernetesResource/Change",
        severity: "INFO",
        source: "KUBERNETES_API_SERVER",
        findingType: "CONF_CHANGE",
        failure: false,
        subject: expect.objectContaining({ name: "web", namespace: "prod", subjectType: "deployment" }),
      },
    ]);
    expect(ctx.enrichments).toEqual([
      {
        blocks: [
          {
            type: "diff",
            kind: "Deployment",
            name: "web",
            namespace: "prod",
            // resourceVersion and generation changed too: noise, left out.
            diffs: [{ path: "spec.template.spec.containers[0].image", old: "registry.example/web:1.0", new: "registry.example/web:1.1" }],
          },
        ],
        options: { title: "Kubernetes Manifest Change", enrichmentType: "diff", annotations: { operation: "update" } },
      },
    ]);
  });

  it("reports the trigger's filtered diffs when it has change_filters", async () => {
    const filteredDiffs = [{ path: "spec.replicas", old: 2, new: 5 }];
    const ctx = await babysit({ ...fixtures.change("update", after, before), filteredDiffs });
    expect((ctx.blocks[0] as DiffBlock).diffs).toEqual(filteredDiffs);
  });

  it("reports nothing for an update that changed only status and metadata noise", async () => {
    const statusOnly = { ...before, metadata: { ...before.metadata, resourceVersion: "9", generation: 9 }, status: { replicas: 1 } };
    const ctx = await babysit(fixtures.change("update", statusOnly, before));
    expect(ctx.findings).toEqual([]);
    expect(ctx.enrichments).toEqual([]);
  });

  it('reports creates and deletes as "<name> created" / "<name> deleted" with an empty diff', async () => {
    for (const operation of ["create", "delete"] as const) {
      const ctx = await babysit(fixtures.change(operation, after));
      expect(ctx.findings[0]).toMatchObject({ title: `web ${operation}d`, findingType: "CONF_CHANGE" });
      expect(ctx.findings[0]?.description).toBeUndefined();
      expect(ctx.enrichments[0]).toMatchObject({ blocks: [{ type: "diff", diffs: [] }], options: { annotations: { operation } } });
    }
  });

  it("skips resources in ignored namespaces", async () => {
    const ctx = await babysit(fixtures.change("update", after, before), ["prod", "kube-system"]);
    expect(ctx.findings).toEqual([]);
    expect((await babysit(fixtures.change("update", after, before), ["kube-system"])).findings).toHaveLength(1);
  });
});
