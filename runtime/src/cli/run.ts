/**
 * `robusta run`: the runner against a real cluster. The configuration file (or, without one, the
 * built-in playbooks) and the playbook modules are checked as a whole before anything starts; the
 * kinds their triggers need are watched in-process (and Helm's release records polled, when a
 * Helm release trigger needs them), Alertmanager and kubewatch posts are served, and a change to
 * the configuration file is applied without a restart.
 */
import { readFile } from "node:fs/promises";
import { ActionRegistry, builtinActions, errorMessage, type Engine, type Logger } from "@robusta-ts/sdk";
import { ConfigReloader, setupOf, SinkSet } from "../config/config-reloader.js";
import { FileWatcher } from "../config/file-watcher.js";
import { parseConfig, type ConfigContext, type RunnerConfig } from "../config/load-config.js";
import { HelmMonitoring, helmSecretsFromApi } from "../helm/index.js";
import { KubeApiClient } from "../kubernetes/api-client.js";
import { createWatches, DEFAULT_KINDS, loadKubeConfig, type WatchManager } from "../kubernetes/index.js";
import { KubeCluster } from "../kubernetes/kube-cluster.js";
import { detectProvider } from "../kubernetes/provider.js";
import { loadPlaybookModules } from "../loader.js";
import { createLogger } from "../logging.js";
import { optionsFromEnv, parseRuntimeOptions } from "../options.js";
import { Runtime } from "../runtime.js";
import { FileSink } from "../sinks/file-sink.js";
import { openStateStore, RATE_LIMITS_CONFIGMAP, SCHEDULED_JOBS_CONFIGMAP } from "../state/index.js";
import { untilSignal } from "./signals.js";

export interface RunOptions {
  modules: string[];
  /** The configuration file; without one, the built-in playbooks run with a console sink. */
  configFile?: string;
  findingsFile?: string;
  port?: number;
}

/** "group/version/plural" to the watch's form. */
const customResource = (spec: string) => {
  const [group = "", version = "", resource = ""] = spec.split("/");
  return { group, version, resource };
};

/** Watches what the engine's triggers need and is not watched yet (`robusta dev` too). */
export async function watchFor(engine: Engine, watches: WatchManager, logger: Logger, enabled: boolean): Promise<void> {
  // With a separate forwarder, changes come to /api/handle: watching here too would report each twice.
  if (!enabled) return;
  const kinds = [...engine.watchedKinds, ...(engine.watchesAnyKind ? DEFAULT_KINDS : [])];
  const started = await watches.start(kinds, engine.watchedCustomResources.map(customResource));
  if (started.length > 0) logger.info({ watched: started }, "watching");
}

/** The cluster's provider, for on_prometheus_alert's k8s_providers; unknown when nodes cannot be read. */
async function providerOf(cluster: KubeCluster, logger: Logger): Promise<string | undefined> {
  try {
    const provider = detectProvider(await cluster.list("Node"));
    logger.info({ provider: provider ?? "unknown" }, "cluster provider");
    return provider;
  } catch (error) {
    logger.warn({ reason: errorMessage(error) }, "cannot read nodes: cluster provider unknown");
    return undefined;
  }
}

export async function run(options: RunOptions): Promise<number> {
  const env = { ...optionsFromEnv(), ...(options.port !== undefined && { port: options.port }) };
  const { playbooks, actions } = await loadPlaybookModules(options.modules);
  const context: ConfigContext = { actions: new ActionRegistry([...builtinActions, ...actions]), codePlaybooks: playbooks };
  const file = options.configFile;
  const text = file === undefined ? "" : await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the configuration file ${file}: ${error.code ?? error.message}`);
  });
  const config: RunnerConfig = parseConfig(text, file ?? "(no configuration file)", context);
  const settings = parseRuntimeOptions({ ...env, ...(config.clusterName !== undefined && { clusterName: config.clusterName }) });
  const logger = createLogger(settings.logLevel);
  for (const warning of config.warnings) logger.warn({ file }, warning);

  const client = new KubeApiClient(loadKubeConfig());
  const cluster = new KubeCluster(client);
  const extra = options.findingsFile ? [new FileSink("file", options.findingsFile, settings.clusterName)] : [];
  const sinks = new SinkSet(() => ({ clusterName: settings.clusterName, logger }), extra);
  const built = sinks.build(config.sinks, config.globalConfig);
  built.commit();
  const store = (name: string) => openStateStore({ persist: settings.persistState, cluster, name, namespace: settings.installationNamespace, logger });
  const clusterProvider = await providerOf(cluster, logger);
  const runtime = new Runtime({
    ...setupOf(config, context, built.sinks),
    cluster,
    logger,
    options: { ...env, clusterName: settings.clusterName },
    state: { jobs: store(SCHEDULED_JOBS_CONFIGMAP), rateLimits: store(RATE_LIMITS_CONFIGMAP) },
    ...(clusterProvider !== undefined && { clusterProvider }),
  });
  const watches = createWatches(client, runtime.options, logger, runtime.metrics, (change) => runtime.submit(change));
  runtime.addProbe(watches);
  await runtime.listen();
  if (!runtime.options.watchCluster) logger.info("not watching the cluster (ROBUSTA_WATCH_CLUSTER=false): changes come from the forwarder");
  await watchFor(runtime.engine, watches, logger, runtime.options.watchCluster);
  const helm = new HelmMonitoring({
    enabled: !runtime.options.disableHelmMonitoring,
    intervalSec: runtime.options.helmPollIntervalSec,
    secrets: helmSecretsFromApi(client),
    submit: (events) => runtime.submit(...events),
    logger,
    registry: runtime.metrics.registry,
  });
  helm.update(runtime.engine);

  let watcher: FileWatcher | undefined;
  if (file !== undefined) {
    const reloader = new ConfigReloader({
      file,
      context,
      runtime,
      sinks,
      logger,
      metrics: runtime.metrics,
      applied: async () => {
        await watchFor(runtime.engine, watches, logger, runtime.options.watchCluster);
        helm.update(runtime.engine);
      },
    });
    watcher = new FileWatcher({ file, logger, onChange: (next) => reloader.apply(next).then(() => undefined) });
    watcher.start(text);
  }
  await untilSignal();
  await watcher?.stop();
  helm.stop();
  await watches.stop();
  await runtime.close();
  return 0;
}
