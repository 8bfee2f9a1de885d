/** Loads playbook modules: every exported playbook class, definePlaybook result and action. */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { collectActions, collectPlaybooks, type AnyAction, type PlaybookDefinition } from "@robusta-ts/sdk";

export interface LoadedModules {
  readonly playbooks: PlaybookDefinition[];
  readonly actions: AnyAction[];
}

/** A directory stands for its index.ts. */
async function entryOf(path: string): Promise<string> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new Error(`Playbook module not found: ${path}`);
  return info.isDirectory() ? resolve(absolute, "index.ts") : absolute;
}

export async function loadPlaybookModules(paths: readonly string[]): Promise<LoadedModules> {
  const playbooks: PlaybookDefinition[] = [];
  const actions: AnyAction[] = [];
  for (const path of paths) {
    const entry = await entryOf(path);
    const exports = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    const found = collectPlaybooks(exports);
    if (found.length === 0) throw new Error(`${path} exports no playbook (a Playbook class or a definePlaybook result).`);
    playbooks.push(...found);
    actions.push(...collectActions(exports));
  }
  return { playbooks, actions };
}
