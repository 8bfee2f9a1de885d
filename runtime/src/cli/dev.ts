/**
 * `robusta dev [MODULE...] [--config FILE] [--simulated] [--port N]`: the runner on this machine
 * for writing playbooks. Against the current kubeconfig (watching what the triggers need), or with
 * --simulated against the demo's in-memory cluster; either way it serves Alertmanager's webhook
 * on 127.0.0.1, prints findings instead of sending them, and reloads the playbook modules and the
 * configuration file when they change.
 */
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { Cluster, Engine, Logger } from "@robusta-ts/sdk";
import { FileWatcher } from "../config/file-watcher.js";
import { simulatedCluster } from "../demo/simulated-cluster.js";
import { DevSession } from "../dev/dev-session.js";
import { ModuleWatcher } from "../dev/module-watcher.js";
import { KubeApiClient } from "../kubernetes/api-client.js";
import { createWatches, loadKubeConfig, type WatchManager } from "../kubernetes/index.js";
import { KubeCluster } from "../kubernetes/kube-cluster.js";
import { optionsFromEnv } from "../options.js";
import { Runtime } from "../runtime.js";
import { assertStandardDecorators } from "../toolchain/tsconfig-check.js";
import { watchFor } from "./run.js";
import type { CommandIO } from "./simulate.js";
import { untilSignal } from "./signals.js";
import { UsageError } from "./usage-error.js";

/** What a test passes instead of the process: its streams, and when to stop. */
export interface DevIO extends CommandIO {
  /** Resolves when dev should stop; default: SIGINT or SIGTERM. */
  readonly stop?: Promise<unknown>;
}

const PROCESS_IO: DevIO = { out: process.stdout, err: process.stderr };

/** Where the playbooks run: the watches feed the runner, or nothing does (simulated). */
interface Target {
  readonly cluster: Cluster;
  /** Feeds the runner (the watches); called once it exists. */
  connect(runtime: Runtime): void;
  /** Starts what the engine's triggers need and is not running yet. */
  follow(engine: Engine): Promise<void>;
  stop(): Promise<void>;
}

function simulatedTarget(): Target {
  return { cluster: simulatedCluster(), connect: () => undefined, follow: async () => undefined, stop: async () => undefined };
}

/** The cluster of the current kubeconfig, watched as `robusta run` watches it. */
function kubeTarget(logger: Logger): Target {
  const client = new KubeApiClient(loadKubeConfig());
  let watches: WatchManager | undefined;
  return {
    cluster: new KubeCluster(client),
    connect(runtime) {
      watches = createWatches(client, runtime.options, logger, runtime.metrics, (change) => runtime.submit(change));
      runtime.addProbe(watches);
    },
    async follow(engine) {
      if (watches) await watchFor(engine, watches, logger, true);
    },
    stop: async () => watches?.stop(),
  };
}

export async function dev(args: readonly string[], io: DevIO = PROCESS_IO): Promise<number> {
  const { values, positionals: modules } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { config: { type: "string" }, simulated: { type: "boolean", default: false }, port: { type: "string", default: "5000" } },
  });
  if (!/^\d+$/.test(values.port)) throw new UsageError(`--port must be a number, got "${values.port}"`);
  if (modules.length === 0 && values.config === undefined) {
    throw new UsageError("name at least one playbook module (a file, or a directory with an index.ts), e.g. robusta dev playbooks");
  }
  if (modules.length > 0) assertStandardDecorators();

  const env = optionsFromEnv();
  const logger: Logger = pino({ level: process.env.LOG_LEVEL || "warn", base: {} }, io.err);
  const print = (line: string) => io.out.write(`${line}\n`);
  const color = io.out === process.stdout && process.stdout.isTTY === true;

  const target = values.simulated ? simulatedTarget() : kubeTarget(logger);
  let runtime: Runtime | undefined;
  let moduleWatcher: ModuleWatcher | undefined;
  let configWatcher: FileWatcher | undefined;
  const session = new DevSession({
    modules,
    ...(values.config !== undefined && { configFile: values.config }),
    out: io.out,
    err: io.err,
    color,
    onSources: (files) => moduleWatcher?.watchFiles(files),
    onApplied: async () => {
      if (runtime) await target.follow(runtime.engine);
    },
  });
  try {
    const setup = await session.start();
    runtime = new Runtime({
      ...setup,
      cluster: target.cluster,
      logger,
      options: { ...env, host: "127.0.0.1", port: Number(values.port), clusterName: typeof env.clusterName === "string" ? env.clusterName : values.simulated ? "simulated" : "dev" },
    });
    session.attach(runtime);
    target.connect(runtime);
    const { url } = await runtime.listen();
    await target.follow(runtime.engine);

    // Changes are watched once there is a runner to apply them to.
    moduleWatcher = new ModuleWatcher({ logger, onChange: async () => void (await session.reloadModules()) });
    moduleWatcher.watchFiles(session.sources);
    if (values.config !== undefined) {
      configWatcher = new FileWatcher({ file: values.config, logger, debounceMs: 300, onChange: async (text) => void (await session.applyConfig(text)) });
      configWatcher.start(session.loadedConfigText);
    }
    print(`robusta dev: runner on ${url}, ${session.describe(setup)}, ${values.simulated ? "against a simulated cluster" : "against the cluster of the current kubeconfig"}.`);
    print(`Watching ${[...modules, ...(values.config !== undefined ? [values.config] : [])].join(", ")} for changes. Post an alert:`);
    // In the simulated cluster, the demo's crash-looping pod; otherwise a pod to replace with one of yours.
    const pod = values.simulated ? { namespace: "shop", pod: "checkout-5d8f7b9c4-x7k2p" } : { namespace: "default", pod: "my-pod" };
    const alert = { alerts: [{ status: "firing", labels: { alertname: "KubePodCrashLooping", ...pod }, annotations: { summary: "Tried by hand" }, startsAt: new Date().toISOString() }] };
    print(`  curl -s ${url}/api/alerts -H 'content-type: application/json' -d '${JSON.stringify(alert)}'`);
    print("Ctrl-C stops it.");
    await (io.stop ?? untilSignal());
  } finally {
    await moduleWatcher?.stop();
    await configWatcher?.stop();
    await target.stop();
    await runtime?.close();
    await session.close();
  }
  return 0;
}
