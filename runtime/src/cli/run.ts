/**
 * `robusta run`: the runner against a real cluster. Playbook modules are loaded, the kinds their
 * triggers need are watched in-process, and Alertmanager and kubewatch posts are served.
 */
import { KubeApiClient } from "../kubernetes/api-client.js";
import { createWatches, DEFAULT_KINDS, loadKubeConfig } from "../kubernetes/index.js";
import { KubeCluster } from "../kubernetes/kube-cluster.js";
import { loadPlaybookModules } from "../loader.js";
import { optionsFromEnv } from "../options.js";
import { Runtime } from "../runtime.js";
import { ConsoleSink } from "../sinks/console-sink.js";
import { FileSink } from "../sinks/file-sink.js";
import type { Sink } from "../sinks/sink.js";
import { untilSignal } from "./signals.js";

export interface RunOptions {
  modules: string[];
  findingsFile?: string;
  port?: number;
}

export async function run(options: RunOptions): Promise<number> {
  const { playbooks, actions } = await loadPlaybookModules(options.modules);
  const client = new KubeApiClient(loadKubeConfig());
  const env = optionsFromEnv();
  const sinks: Sink[] = [new ConsoleSink("console")];
  if (options.findingsFile) sinks.push(new FileSink("file", options.findingsFile, String(env.clusterName ?? "default")));
  const runtime = new Runtime({
    playbooks,
    actions,
    cluster: new KubeCluster(client),
    sinks,
    options: { ...env, ...(options.port !== undefined && { port: options.port }) },
  });
  const watches = createWatches(client, runtime.options, runtime.logger, runtime.metrics, (change) => runtime.submit(change));
  runtime.addProbe(watches);
  await runtime.listen();
  const kinds = [...runtime.engine.watchedKinds, ...(runtime.engine.watchesAnyKind ? DEFAULT_KINDS : [])];
  const watched = await watches.start(kinds);
  runtime.logger.info({ watched }, "watching");
  await untilSignal();
  await watches.stop();
  await runtime.close();
  return 0;
}
