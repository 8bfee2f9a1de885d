/**
 * Where the monitor reads Helm's release Secrets from. Not the runner's Cluster: it redacts every
 * Secret value as it arrives, so that none can leave through a playbook; the release records are
 * read here, by the monitor alone, and only the fields the triggers use are kept.
 */
import type { Cluster } from "@robusta-ts/sdk";
import type { KubeApiClient } from "../kubernetes/api-client.js";
import type { HelmReleaseSecret } from "./release-codec.js";

/** Lists Helm's release Secrets in every namespace. */
export type HelmSecretSource = () => Promise<readonly HelmReleaseSecret[]>;

/**
 * The Secrets worth reading: Helm's, less the superseded revisions, which are most of a release's
 * history and never its newest revision.
 */
export const HELM_SECRETS_SELECTOR = "owner=helm,status!=superseded";

/** A release Secret cut to what the monitor reads, so a page of them is not held whole. */
function slim(secret: HelmReleaseSecret): HelmReleaseSecret {
  const meta = secret.metadata ?? {};
  const release = secret.data?.release;
  return {
    metadata: {
      ...(meta.name !== undefined && { name: meta.name }),
      ...(meta.namespace !== undefined && { namespace: meta.namespace }),
      ...(meta.resourceVersion !== undefined && { resourceVersion: meta.resourceVersion }),
      ...(meta.labels !== undefined && { labels: meta.labels }),
    },
    ...(secret.type !== undefined && { type: secret.type }),
    ...(release !== undefined && { data: { release } }),
  };
}

/** From the API server, in pages, values intact. Needs `list` on secrets in every namespace. */
export function helmSecretsFromApi(client: KubeApiClient): HelmSecretSource {
  return async () => (await client.list<HelmReleaseSecret>("/api/v1/secrets", { labelSelector: HELM_SECRETS_SELECTOR }, slim)).items;
}

/** From a Cluster whose Secrets keep their values: the in-memory cluster of tests and the demo. */
export function helmSecretsFromCluster(cluster: Cluster): HelmSecretSource {
  return async () => (await cluster.list("Secret", { labelSelector: HELM_SECRETS_SELECTOR })) as HelmReleaseSecret[];
}
