/** create-robusta-playbooks: gathers the answers (flags, else questions, else defaults) and scaffolds. */
import { relative, resolve } from "node:path";
import {
  checkClusterName,
  checkDirectory,
  checkImage,
  checkPackageName,
  DEFAULT_CLUSTER_NAME,
  DEFAULT_DIRECTORY,
  defaultImage,
  defaultPackageName,
  parseOptions,
  USAGE,
  UsageError,
} from "./options.js";
import { InputClosedError, isInteractive, Prompter } from "./prompts.js";
import { scaffold, TargetError, targetState } from "./scaffold.js";
import { DEFAULT_TEMPLATE, findTemplate, TEMPLATES } from "./templates.js";

/**
 * @typedef {object} Io
 * @property {NodeJS.ReadableStream & { isTTY?: boolean }} stdin
 * @property {NodeJS.WritableStream & { isTTY?: boolean }} stdout
 * @property {NodeJS.WritableStream} stderr
 * @property {NodeJS.ProcessEnv} env
 * @property {string} cwd
 */

/**
 * Runs the initializer; returns the exit code (0 done, 1 refused or failed, 2 usage mistake).
 * @param {readonly string[]} argv
 * @param {Partial<Io>} [io]  the process's own streams, environment and directory by default
 * @returns {Promise<number>}
 */
export async function main(argv, io = {}) {
  const { stdin = process.stdin, stdout = process.stdout, stderr = process.stderr, env = process.env, cwd = process.cwd() } = io;
  /** @type {Prompter | undefined} */
  let prompter;
  try {
    const options = parseOptions(argv);
    if (options.help) {
      stdout.write(USAGE);
      return 0;
    }
    if (isInteractive({ yes: options.yes, env, stdin, stdout })) prompter = new Prompter(stdin, stdout);

    const ask = prompter;
    const directory = options.directory ?? (ask ? await ask.text("Directory", DEFAULT_DIRECTORY, checkDirectory) : DEFAULT_DIRECTORY);
    const target = resolve(cwd, directory);
    // Refuse a non-empty target before asking anything else.
    if (targetState(target) === "not-empty" && !options.overwrite) {
      const write = ask && (await ask.confirm(`${directory} is not empty. Write into it, replacing files of the same name?`));
      if (!write) throw new TargetError(`${directory} is not empty: choose another directory, or pass --overwrite to write into it (files of the same name are replaced)`);
    }
    const template = options.template ?? (ask ? await ask.choose("Template:", TEMPLATES, DEFAULT_TEMPLATE) : DEFAULT_TEMPLATE);
    const name = options.name ?? (ask ? await ask.text("Package name", defaultPackageName(target), checkPackageName) : defaultPackageName(target));
    const clusterName =
      options.clusterName ?? (ask ? await ask.text("Cluster name (shown on every finding)", DEFAULT_CLUSTER_NAME, checkClusterName) : DEFAULT_CLUSTER_NAME);
    const image = options.image ?? (ask ? await ask.text("Runner image repository (CI pushes it, Helm deploys it)", defaultImage(name), checkImage) : defaultImage(name));

    const { about, fixture } = /** @type {import("./templates.js").Template} */ (findTemplate(template));
    scaffold({ directory: target, template, name, clusterName, image, about, fixture, ...(options.localPackages !== undefined && { localPackages: resolve(cwd, options.localPackages) }) });
    stdout.write(nextSteps({ shown: relative(cwd, target) || ".", template, image }));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`create-robusta-playbooks: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof TargetError || error instanceof InputClosedError) {
      stderr.write(`create-robusta-playbooks: ${error.message}\n`);
      return 1;
    }
    stderr.write(`create-robusta-playbooks: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    prompter?.close();
  }
}

/**
 * @param {{ shown: string, template: string, image: string }} done
 */
function nextSteps({ shown, template, image }) {
  const cd = shown === "." ? "" : `  cd ${shown.includes(" ") ? JSON.stringify(shown) : shown}\n`;
  return `
Created ${shown} from the ${template} template.

Next:
${cd}  npm install
  npm test             run the playbooks' tests against an in-memory cluster
  npm run build        bundle the runner with your playbooks into dist/runner.mjs
  npm run simulate     replay a saved event through the playbooks
  npm run validate     check values.yaml

Then push it to GitHub: CI tests, builds and pushes ${image}.
Deploy it with Helm and values.yaml: see README.md.
`;
}
