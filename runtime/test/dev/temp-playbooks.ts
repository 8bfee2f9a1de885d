/** A playbook module in a temporary directory, which can import the workspace's packages. */
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const nodeModules = fileURLToPath(new URL("../../../node_modules", import.meta.url));

export interface TempPlaybooks {
  readonly dir: string;
  /** Writes a file of the module (relative to its directory). */
  write(name: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

export async function tempPlaybooks(files: Readonly<Record<string, string>>): Promise<TempPlaybooks> {
  const dir = await mkdtemp(join(tmpdir(), "robusta-playbooks-"));
  await symlink(nodeModules, join(dir, "node_modules"), "dir");
  const write = (name: string, text: string) => writeFile(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) await write(name, text);
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A playbook reporting every alert with `title`, or throwing when `title` is "throw". */
export const alertPlaybook = (title: string) => `
import { definePlaybook, onPrometheusAlert } from "@robusta-ts/sdk";
import { titleOf } from "./title.js";
export const report = definePlaybook({
  name: "Report",
  triggers: [onPrometheusAlert({})],
  run(event, ctx) {
    ${title === "throw" ? 'throw new Error("the playbook broke");' : ""}
    ctx.addFinding({ title: titleOf(${JSON.stringify(title)}, event.alertName), aggregationKey: "report" });
  },
});
`;

/** The helper file the playbook imports by relative path (so reloads must pick up its edits too). */
export const titleHelper = (suffix: string) => `export const titleOf = (title: string, alert: string) => \`\${title}: \${alert}${suffix}\`;\n`;
