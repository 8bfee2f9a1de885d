/**
 * Applies a changed configuration file to a running runner. An invalid change is refused as a
 * whole: the last good configuration keeps running, and every problem is logged and counted,
 * where Robusta would crash-loop. Sinks whose settings did not change are kept, not rebuilt.
 */
import { errorMessage, PlaybookLoadError, type Logger } from "@robusta-ts/sdk";
import type { Metrics } from "../metrics.js";
import type { Runtime, RuntimeSetup } from "../runtime.js";
import { createSinks, sameSink, type SinkConfig } from "../sinks/sinks-config.js";
import type { Sink, SinkBuildEnv } from "../sinks/sink.js";
import { ConfigError, formatIssue, parseConfig, type ConfigContext, type RunnerConfig } from "./load-config.js";

/** Builds sinks from their config, handing back the same sink for an unchanged entry. */
export class SinkSet {
  private built: { config: SinkConfig; globalConfig: string; sink: Sink }[] = [];

  constructor(
    /** The cluster name and logger sinks are built with (the cluster name may come from the configuration). */
    private readonly env: () => Omit<SinkBuildEnv, "globalConfig">,
    /** Sinks that do not come from the file (the CLI's --findings-file). */
    private readonly extra: readonly Sink[] = [],
  ) {}

  /**
   * The sinks for `configs`, reusing the current ones where unchanged. `commit` once they run;
   * `discard` closes the new ones if they never will.
   */
  build(configs: readonly SinkConfig[], globalConfig: Readonly<Record<string, unknown>> = {}): { sinks: Sink[]; commit(): void; discard(): void } {
    // Sinks read globalConfig (the signing key of Slack buttons): a change there rebuilds them.
    const global = JSON.stringify(globalConfig);
    const next = configs.map((config) => {
      const same = this.built.find((b) => b.globalConfig === global && sameSink(b.config, config));
      return same ?? { config, globalConfig: global, sink: createSinks([config], { ...this.env(), globalConfig })[0]! };
    });
    const fresh = next.filter((b) => !this.built.includes(b));
    return {
      sinks: [...next.map((b) => b.sink), ...this.extra],
      commit: () => {
        this.built = next;
      },
      discard: () => {
        for (const { sink } of fresh) void sink.close?.().catch(() => undefined);
      },
    };
  }
}

/** The runtime setup a configuration describes. */
export function setupOf(config: RunnerConfig, context: ConfigContext, sinks: readonly Sink[]): RuntimeSetup {
  return {
    playbooks: config.playbooks,
    actions: context.actions.names().map((name) => context.actions.get(name)!),
    sinks,
    globalConfig: config.globalConfig,
    alertRelabel: config.alertRelabel,
  };
}

export interface ConfigReloaderOptions {
  readonly file: string;
  readonly context: ConfigContext;
  readonly runtime: Runtime;
  readonly sinks: SinkSet;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** After a configuration was applied: reschedule, watch newly needed kinds. */
  readonly applied?: (config: RunnerConfig) => Promise<void> | void;
}

export class ConfigReloader {
  constructor(private readonly options: ConfigReloaderOptions) {
    options.metrics.configValid.set(1);
  }

  /** Checks and applies new file content; false when it was refused. */
  async apply(text: string): Promise<boolean> {
    const { file, context, runtime, sinks, logger, metrics } = this.options;
    let config: RunnerConfig;
    try {
      config = parseConfig(text, file, context);
      const built = sinks.build(config.sinks, config.globalConfig);
      try {
        runtime.reload(setupOf(config, context, built.sinks));
      } catch (error) {
        built.discard();
        throw error;
      }
      built.commit();
    } catch (error) {
      metrics.configReloads.inc({ result: "invalid" });
      metrics.configValid.set(0);
      const problems =
        error instanceof ConfigError ? error.issues.map((issue) => formatIssue(file, issue)) : error instanceof PlaybookLoadError ? [...error.problems] : [errorMessage(error)];
      logger.error({ file, problems }, "configuration change refused: the last good configuration keeps running");
      return false;
    }
    for (const warning of config.warnings) logger.warn({ file }, warning);
    metrics.configReloads.inc({ result: "ok" });
    metrics.configValid.set(1);
    await this.options.applied?.(config);
    return true;
  }
}
