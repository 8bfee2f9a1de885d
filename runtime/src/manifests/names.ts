/** Names and labels of the chart's objects; the chart's _helpers.tpl makes the same ones. */

/** Where and as what the objects are installed. */
export interface Release {
  readonly name: string;
  readonly namespace: string;
}

export const CHART_NAME = "robusta-ts";
/** The runner's port in its container, and the forwarder's probe port. */
export const RUNNER_PORT = 5000;
export const FORWARDER_PORT = 2112;
/** Where the config Secret is mounted, and the file the runner reads. */
export const CONFIG_DIR = "/etc/robusta";
export const CONFIG_KEY = "values.yaml";

const cut = (name: string) => name.slice(0, 63).replace(/-+$/, "");

/** The objects' names. Cluster-scoped ones carry the namespace so two releases of one name do not collide. */
export function namesOf(release: Release, serviceAccountName = "") {
  const runner = cut(`${release.name}-runner`);
  return {
    runner,
    forwarder: cut(`${release.name}-forwarder`),
    configSecret: cut(`${release.name}-runner-config`),
    serviceAccount: serviceAccountName || runner,
    clusterRole: cut(`${release.namespace}-${release.name}-runner`),
    role: runner,
  };
}

/** Labels on every object; the selector labels pick one component's pods. */
export function labelsOf(release: Release, component: "runner" | "forwarder", appVersion: string): Record<string, string> {
  return { ...selectorLabels(release, component), "app.kubernetes.io/version": appVersion, "app.kubernetes.io/part-of": CHART_NAME };
}

export function selectorLabels(release: Release, component: "runner" | "forwarder"): Record<string, string> {
  return { "app.kubernetes.io/name": CHART_NAME, "app.kubernetes.io/instance": release.name, "app.kubernetes.io/component": component };
}
