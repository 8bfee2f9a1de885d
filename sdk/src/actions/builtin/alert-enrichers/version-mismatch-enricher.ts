import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table } from "../../../findings/blocks.js";
import { prometheusConfigured, prometheusParamsShape, type PrometheusParams } from "../../../integrations/prometheus.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { compareVersions, minorVersion, newestVersion, versionNumbers } from "./kube-versions.js";
import { querySeries } from "./prometheus-values.js";

const ACTION = "version_mismatch_enricher";

/** Robusta's query: one series per version and node; the API server's carry no node label. */
const VERSION_MISMATCH_QUERY =
  'count by (git_version, node) (label_replace(kubernetes_build_info{job!~"kube-dns|coredns"}, "git_version", "$1", "git_version", "(v[0-9]*.[0-9]*).*"))';

/** The API server's versions from its pods' images (kubeadm, kind, minikube run it as static pods). */
async function apiServerPodVersions(ctx: Context): Promise<string[]> {
  const pods = await ctx.cluster.list("Pod", { namespace: "kube-system", labelSelector: "component=kube-apiserver" });
  return pods
    .flatMap((pod) => pod.spec?.containers ?? [])
    .map((container) => container.image?.split("/").at(-1)?.split(":")[1] ?? "")
    .filter((tag) => versionNumbers(tag) !== undefined);
}

/** The API server's versions from kubernetes_build_info (managed clusters hide its pods); none when the query fails. */
async function apiServerMetricVersions(ctx: Context, params: PrometheusParams & { version_mismatch_query: string }): Promise<string[]> {
  try {
    const series = await querySeries(ctx, params, params.version_mismatch_query);
    return series.filter((s) => s.metric.node === undefined && s.metric.git_version).map((s) => s.metric.git_version!);
  } catch (error) {
    ctx.logger.warn({ reason: errorMessage(error) }, `${ACTION}: could not read the API server's version from Prometheus`);
    return [];
  }
}

/** version_mismatch_enricher: which nodes run another Kubernetes version than the API server. */
export const versionMismatchEnricher = defineAction({
  name: ACTION,
  description:
    'For KubeVersionMismatch: adds the API server\'s version and a "Node Versions" table of every node\'s kubelet version (status.nodeInfo), each marked as matching or differing from the version to reach (the newest minor version of the API server and the nodes), differing nodes first, then Robusta\'s advice to update all nodes (and the cluster, when a node is newer than the API server) to it. The API server\'s version comes from its pods in kube-system when the cluster runs it as pods, else from Prometheus (version_mismatch_query) when configured; when neither tells, the nodes are compared among themselves.',
  event: EventClasses.PrometheusAlert,
  params: z.object({
    ...prometheusParamsShape,
    version_mismatch_query: z
      .string()
      .default(VERSION_MISMATCH_QUERY)
      .describe("The PromQL giving the components' versions (git_version), by node; the API server's series have no node label."),
  }),
  async run(_event, params, ctx) {
    const nodes = (await ctx.cluster.list("Node")).map((node) => ({
      name: node.metadata?.name ?? "",
      version: node.status?.nodeInfo?.kubeletVersion ?? "",
    }));
    let apiVersions = await apiServerPodVersions(ctx);
    if (apiVersions.length === 0 && prometheusConfigured(params)) apiVersions = await apiServerMetricVersions(ctx, params);
    const apiVersion = newestVersion(apiVersions);
    const nodeVersion = newestVersion(nodes.map((node) => node.version).filter((version) => versionNumbers(version)));
    const target = newestVersion([apiVersion, nodeVersion].filter((version): version is string => version !== undefined));
    if (!target) {
      ctx.logger.warn({ nodes: nodes.length }, `${ACTION}: no node reports a kubelet version`);
      ctx.addEnrichment([markdown("No version details: no node reports its kubelet version.")]);
      return;
    }
    const targetMinor = minorVersion(target);
    const compared = nodes
      .map(({ name, version }) => ({ name, version, differs: minorVersion(version) !== targetMinor }))
      .sort((a, b) => Number(b.differs) - Number(a.differs) || a.name.localeCompare(b.name));
    const rows = compared.map(({ name, version, differs }) => [name, version || "unknown", differs ? `differs (not ${targetMinor})` : "matches"]);
    const anyDiffers = compared.some((node) => node.differs);
    // A node newer than the API server means the control plane needs the upgrade too (Robusta).
    const clusterBehind = apiVersion !== undefined && minorVersion(apiVersion) !== targetMinor;
    ctx.addEnrichment(
      [
        markdown(
          apiVersion
            ? `The kubernetes api server is version ${[...new Set(apiVersions)].sort(compareVersions).join(", ")}.`
            : "The kubernetes api server's version is unknown (it runs no pods in kube-system and Prometheus does not tell), so the nodes are compared with the newest of them.",
        ),
        table(rows, { headers: ["name", "version", "status"], name: "Node Versions" }),
        markdown(
          anyDiffers || clusterBehind
            ? `To solve this alert, make sure to update all of your nodes ${clusterBehind ? "and cluster " : ""}to version ${targetMinor}.`
            : `All nodes run ${targetMinor} now.`,
        ),
      ],
      { title: "Kubernetes versions", annotations: { attachment: "true" } },
    );
  },
});
