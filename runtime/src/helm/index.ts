/** The Helm release monitor: the source of the on_helm_release_* triggers' events. */
export { HelmMonitoring, type HelmMonitoringOptions, type PlaybookSources } from "./helm-monitoring.js";
export { HelmReleaseMonitor, newHelmMonitorStats, type HelmMonitorStats, type HelmReleaseMonitorOptions } from "./release-monitor.js";
export { decodeHelmRelease, HelmReleaseDecodeError, HELM_RELEASE_SECRET_TYPE, type HelmReleaseSecret } from "./release-codec.js";
export { helmSecretsFromApi, helmSecretsFromCluster, HELM_SECRETS_SELECTOR, type HelmSecretSource } from "./release-secrets.js";
