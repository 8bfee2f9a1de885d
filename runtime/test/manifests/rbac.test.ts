import { ActionRegistry, builtinActions, definePlaybook, onDeploymentUpdate } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { configRbac } from "../../src/manifests/playbook-rbac.js";
import { clusterRoleRules, isWriteRule, mergeRules, stateRoleRules, UnknownActionError, writeActions } from "../../src/toolchain/rbac.js";

const grants = (rules: readonly { apiGroups: readonly string[]; resources: readonly string[]; verbs: readonly string[] }[], group: string, resource: string) =>
  new Set(rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs));

describe("RBAC rules", () => {
  it("grants the built-in playbooks read access only", () => {
    const { rules } = configRbac({ configText: "clusterName: test\n", file: "values.yaml" });
    expect(rules.filter(isWriteRule)).toEqual([]);
    expect(grants(rules, "", "pods")).toEqual(new Set(["get", "list", "watch"]));
    expect(grants(rules, "", "pods/log")).toEqual(new Set(["get"]));
    expect(grants(rules, "", "secrets").size).toBe(0);
    expect(grants(rules, "", "configmaps").size).toBe(0);
  });

  it("adds write verbs only for the remediation actions named", () => {
    const { rules } = configRbac({ configText: "clusterName: test\n", file: "values.yaml", remediationActions: ["delete_pod", "rollout_restart"] });
    expect(grants(rules, "", "pods")).toContain("delete");
    expect(grants(rules, "apps", "deployments")).toContain("patch");
    expect(grants(rules, "", "nodes")).not.toContain("patch");
    expect(grants(rules, "batch", "jobs")).not.toContain("delete");
  });

  it("adds the writes of actions named by customPlaybooks and the watches of their triggers", () => {
    const configText = [
      "clusterName: test",
      "customPlaybooks:",
      "  - triggers: [{on_node_update: {}}]",
      "    actions: [{cordon: {}}]",
    ].join("\n");
    const { rules, needs } = configRbac({ configText, file: "values.yaml" });
    expect(needs.watchedKinds).toContain("Node");
    expect(grants(rules, "", "nodes")).toEqual(new Set(["get", "list", "watch", "patch"]));
  });

  it("watches what code playbooks' triggers need", () => {
    const watcher = definePlaybook({ name: "deploys", triggers: [onDeploymentUpdate()], run() {} });
    const { rules } = configRbac({ configText: "clusterName: test\n", file: "values.yaml", codePlaybooks: [watcher] });
    expect(grants(rules, "apps", "deployments")).toEqual(new Set(["get", "list", "watch"]));
  });

  it("reads Helm's release Secrets only when a Helm release trigger is used", () => {
    const registry = new ActionRegistry(builtinActions);
    const base = { watchedKinds: [], customResources: [], actions: [] };
    expect(grants(clusterRoleRules({ ...base, helmReleases: true }, registry), "", "secrets")).toEqual(new Set(["list"]));
    expect(grants(clusterRoleRules({ ...base, helmReleases: false }, registry), "", "secrets").size).toBe(0);
  });

  it("reads watched custom resources", () => {
    const rules = clusterRoleRules({ watchedKinds: [], customResources: ["argoproj.io/v1alpha1/rollouts"], actions: [], helmReleases: false }, new ActionRegistry());
    expect(grants(rules, "argoproj.io", "rollouts")).toEqual(new Set(["get", "list", "watch"]));
  });

  it("refuses an action it does not know, naming it", () => {
    expect(() => clusterRoleRules({ watchedKinds: [], customResources: [], actions: ["delete_pods"], helmReleases: false }, new ActionRegistry(builtinActions))).toThrow(
      new UnknownActionError("delete_pods"),
    );
  });

  it("merges rules into a stable order", () => {
    const a = mergeRules([
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["list", "get"] },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
    ]);
    expect(a).toEqual([
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"] },
    ]);
  });

  it("keeps state in the runner's namespace, patching only its own ConfigMaps", () => {
    const rules = stateRoleRules();
    expect(rules.find((r) => r.verbs.includes("patch"))?.resourceNames).toEqual(["robusta-rate-limits", "scheduled-jobs"]);
  });

  it("lists the built-in actions that write", () => {
    expect(writeActions(new ActionRegistry(builtinActions))).toEqual(expect.arrayContaining(["delete_pod", "cordon", "drain", "rollout_restart"]));
  });
});
