/** Loads playbook modules: every exported playbook class, definePlaybook result and action. */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { collectActions, collectPlaybooks, type AnyAction, type PlaybookDefinition } from "@robusta-ts/sdk";

export interface LoadedModules {
  readonly playbooks: PlaybookDefinition[];
  readonly actions: AnyAction[];
}

/** Imports one module's entry file (an absolute path) and returns its exports. */
export type ModuleImporter = (entry: string) => Promise<Record<string, unknown>>;

/** The process's own import: each file is loaded once and cached. */
const nativeImport: ModuleImporter = async (entry) => (await import(pathToFileURL(entry).href)) as Record<string, unknown>;

/** A directory stands for its index.ts. */
export async function entryOf(path: string): Promise<string> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new Error(`Playbook module not found: ${path}`);
  return info.isDirectory() ? resolve(absolute, "index.ts") : absolute;
}

/**
 * The playbooks and actions of the modules. `importModule` lets `robusta dev` load a fresh copy
 * after an edit; by default modules are imported as usual.
 */
export async function loadPlaybookModules(paths: readonly string[], importModule: ModuleImporter = nativeImport): Promise<LoadedModules> {
  const playbooks: PlaybookDefinition[] = [];
  const actions: AnyAction[] = [];
  for (const path of paths) {
    const entry = await entryOf(path);
    const exports = await importModule(entry);
    const found = collectPlaybooks(exports);
    if (found.length === 0) throw new Error(`${path} exports no playbook (a Playbook class or a definePlaybook result).`);
    playbooks.push(...found);
    actions.push(...collectActions(exports));
  }
  return { playbooks, actions };
}
