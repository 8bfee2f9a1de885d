/**
 * @robusta-ts/runtime: the runner (HTTP intake, dispatcher, sinks) and the robusta CLI.
 */
export { Runtime, type RuntimeConfig, type RuntimeSetup } from "./runtime.js";
export { configFileSchema, playbookSchema } from "./config/schema.js";
export { loadConfigFile, parseConfig, ConfigError, formatIssue, type ConfigContext, type ConfigIssue, type RunnerConfig } from "./config/load-config.js";
export { runtimeOptionsSchema, parseRuntimeOptions, optionsFromEnv, type RuntimeOptions, type RuntimeOptionsInput } from "./options.js";
export type { Sink } from "./sinks/sink.js";
export { ConsoleSink } from "./sinks/console-sink.js";
export { FileSink } from "./sinks/file-sink.js";
export { sinksConfigSchema, createSinks, type SinksConfig } from "./sinks/sinks-config.js";
export { findingToJson } from "./sinks/finding-json.js";
export { renderFindingText, type TextOptions } from "./sinks/render-text.js";
export { loadPlaybookModules } from "./loader.js";
export { createLogger, type LogLevel } from "./logging.js";
export { kubewatchCloudEventSchema, changeFromCloudEvent } from "./intake/kubewatch.js";
export {
  buildRunner,
  buildManifestSchema,
  readManifest,
  BuildError,
  MANIFEST_VERSION,
  type BuildManifest,
  type BuildOptions,
  type BuildResult,
} from "./toolchain/build/index.js";
