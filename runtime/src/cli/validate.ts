/**
 * `robusta validate FILE [MODULE...]`: the check the runner makes at start, without a cluster.
 * Prints every problem with its YAML path and line, and exits non-zero when there is one, so CI
 * catches a bad values file before it is deployed.
 */
import { ActionRegistry, builtinActions } from "@robusta-ts/sdk";
import { ConfigError, formatIssue, loadConfigFile } from "../config/load-config.js";
import { loadPlaybookModules } from "../loader.js";

export interface ValidateOptions {
  readonly file: string;
  /** Playbook modules whose playbooks and actions the configuration may use. */
  readonly modules: readonly string[];
  readonly out?: NodeJS.WritableStream;
  readonly err?: NodeJS.WritableStream;
}

export async function validate(options: ValidateOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const modules = options.modules.length > 0 ? await loadPlaybookModules(options.modules) : { playbooks: [], actions: [] };
  const context = { actions: new ActionRegistry([...builtinActions, ...modules.actions]), codePlaybooks: modules.playbooks };
  try {
    const config = await loadConfigFile(options.file, context);
    for (const warning of config.warnings) err.write(`warning: ${options.file}: ${warning}\n`);
    const names = config.playbooks.map((p) => p.data.name);
    out.write(
      `${options.file} is valid: ${names.length} playbook${names.length === 1 ? "" : "s"} (${names.join(", ")}), ` +
        `${config.sinks.length} sink${config.sinks.length === 1 ? "" : "s"} (${config.sinks.map((s) => s.params.name).join(", ")})\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) err.write(`${formatIssue(options.file, issue)}\n`);
    err.write(`${options.file}: ${error.issues.length} problem${error.issues.length === 1 ? "" : "s"}\n`);
    return 1;
  }
}
