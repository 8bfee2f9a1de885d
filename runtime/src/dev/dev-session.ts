/**
 * What `robusta dev` runs: the playbook modules and the configuration file, assembled as
 * `robusta run` assembles them, applied to the runner again whenever either changes. A change
 * that does not load (a syntax error, a module that throws, an invalid configuration) is
 * reported and refused as a whole: the previous playbooks keep running.
 */
import { readFile } from "node:fs/promises";
import { ActionRegistry, builtinActions, errorMessage, PlaybookLoadError } from "@robusta-ts/sdk";
import { setupOf } from "../config/config-reloader.js";
import { ConfigError, formatIssue, parseConfig, type ConfigContext, type RunnerConfig } from "../config/load-config.js";
import { loadPlaybookModules, type LoadedModules } from "../loader.js";
import type { Runtime, RuntimeSetup } from "../runtime.js";
import { standInSinks } from "./dev-sinks.js";
import { FreshImporter } from "./fresh-import.js";

export interface DevSessionOptions {
  readonly modules: readonly string[];
  readonly configFile?: string;
  /** Findings and what happened (reloads, refusals) are printed here. */
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly color: boolean;
  /** The source files the modules were built from, after each successful load (to watch them). */
  readonly onSources?: (files: readonly string[]) => void;
  /** After a change was applied (to watch kinds newly needed). */
  readonly onApplied?: () => Promise<void> | void;
}

/** A built setup and the configuration it came from. */
interface Assembly {
  readonly config: RunnerConfig;
  readonly setup: RuntimeSetup;
}

/** Every line of a load failure, for people. */
function problemsOf(error: unknown, file: string): string[] {
  if (error instanceof ConfigError) return error.issues.map((issue) => formatIssue(file, issue));
  if (error instanceof PlaybookLoadError) return [...error.problems];
  return [errorMessage(error)];
}

export class DevSession {
  private readonly importer = new FreshImporter();
  private modules: LoadedModules = { playbooks: [], actions: [] };
  private configText = "";
  private runtime: Runtime | undefined;
  private lastSources: readonly string[] = [];

  constructor(private readonly options: DevSessionOptions) {}

  private get configName(): string {
    return this.options.configFile ?? "(no configuration file)";
  }

  /** Loads the modules and the configuration; throws when they cannot run, as `robusta run` does. */
  async start(): Promise<RuntimeSetup> {
    this.modules = await this.loadModules();
    if (this.options.configFile !== undefined) this.configText = await this.readConfig(this.options.configFile);
    const { config, setup } = this.assemble(this.modules, this.configText);
    for (const warning of config.warnings) this.options.err.write(`warning: ${this.configName}: ${warning}\n`);
    return setup;
  }

  /** "33 playbooks, from the modules: Report, Other" (the built-ins are many and well known). */
  describe(setup: RuntimeSetup): string {
    const code = new Set(this.modules.playbooks);
    const own = setup.playbooks.filter((p) => code.has(p)).map((p) => p.data.name);
    const total = setup.playbooks.length;
    return `${total} playbook${total === 1 ? "" : "s"}${own.length > 0 ? `, from the modules: ${own.join(", ")}` : ""}`;
  }

  /** The runner the changes are applied to. */
  attach(runtime: Runtime): void {
    this.runtime = runtime;
  }

  /** The source files the modules were last built from. */
  get sources(): readonly string[] {
    return this.lastSources;
  }

  /** The configuration file's content when it was loaded (for the file watcher). */
  get loadedConfigText(): string {
    return this.configText;
  }

  /** Builds the modules afresh and applies them; false (and the error printed) when they do not load. */
  async reloadModules(): Promise<boolean> {
    let modules: LoadedModules & { changed: boolean };
    try {
      modules = await this.loadModules();
    } catch (error) {
      return this.refuse("playbook modules", problemsOf(error, this.configName));
    }
    // Saved without a change that matters (or back to what runs): nothing to reload.
    if (!modules.changed) return true;
    return this.apply(modules, this.configText, "playbook modules");
  }

  /** Applies new configuration text; false (and the problems printed) when it is refused. */
  async applyConfig(text: string): Promise<boolean> {
    return this.apply(this.modules, text, this.configName);
  }

  /** Removes the fresh builds. */
  async close(): Promise<void> {
    await this.importer.close();
  }

  private async apply(modules: LoadedModules, configText: string, what: string): Promise<boolean> {
    try {
      const { config, setup } = this.assemble(modules, configText);
      this.runtime?.reload(setup);
      this.modules = modules;
      this.configText = configText;
      for (const warning of config.warnings) this.options.err.write(`warning: ${this.configName}: ${warning}\n`);
      this.options.out.write(`↻ reloaded ${what}: ${this.describe(setup)}\n`);
    } catch (error) {
      return this.refuse(what, problemsOf(error, this.configName));
    }
    await this.options.onApplied?.();
    return true;
  }

  private refuse(what: string, problems: readonly string[]): false {
    this.options.err.write(`✗ cannot reload the ${what}; the previous playbooks keep running:\n${problems.map((p) => `  ${p.replace(/\n/g, "\n  ")}`).join("\n")}\n`);
    return false;
  }

  /** The setup `robusta run` would build: built-ins, code and custom playbooks; sinks stood in for by the console. */
  private assemble(modules: LoadedModules, configText: string): Assembly {
    const context: ConfigContext = { actions: new ActionRegistry([...builtinActions, ...modules.actions]), codePlaybooks: modules.playbooks };
    const config = parseConfig(configText, this.configName, context);
    return { config, setup: setupOf(config, context, standInSinks(config.sinks, this.options.out, this.options.color)) };
  }

  private async loadModules(): Promise<LoadedModules & { changed: boolean }> {
    const sources: string[] = [];
    let changed = false;
    const loaded = await loadPlaybookModules(this.options.modules, async (entry) => {
      const fresh = await this.importer.import(entry);
      sources.push(...fresh.inputs);
      changed ||= fresh.changed;
      return fresh.exports;
    });
    this.lastSources = sources;
    this.options.onSources?.(sources);
    return { ...loaded, changed };
  }

  private readConfig(file: string): Promise<string> {
    return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read the configuration file ${file}: ${error.code ?? error.message}`);
    });
  }
}
