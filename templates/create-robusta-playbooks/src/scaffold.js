/** Writes a template into a directory: the shared files, the template's own, and package.json. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_DEPENDENCIES, ROBUSTA_VERSION } from "./versions.js";

const TEMPLATES_DIR = fileURLToPath(new URL("../templates/", import.meta.url));

/** The target directory cannot be used (a file, or not empty without --overwrite). */
export class TargetError extends Error {
  /** @override */
  name = "TargetError";
}

/**
 * @typedef {object} ScaffoldOptions
 * @property {string} directory
 * @property {string} template
 * @property {string} name
 * @property {string} clusterName
 * @property {string} image
 * @property {string} about             the template's README paragraph
 * @property {string} fixture           the saved event `npm run simulate` replays
 * @property {string} [localPackages]   a directory of packed @robusta-ts tarballs
 */

/**
 * Whether `directory` can take the scaffold as it is. A directory holding only `.git` counts as
 * empty, so a freshly cloned empty repository can be scaffolded into.
 * @param {string} directory
 * @returns {"missing" | "empty" | "not-empty"}
 */
export function targetState(directory) {
  if (!existsSync(directory)) return "missing";
  if (!statSync(directory).isDirectory()) throw new TargetError(`${directory} exists and is not a directory`);
  return readdirSync(directory).some((entry) => entry !== ".git") ? "not-empty" : "empty";
}

/**
 * Writes the scaffold. Returns the paths written, relative to the directory.
 * @param {ScaffoldOptions} options
 * @returns {string[]}
 */
export function scaffold(options) {
  const root = resolve(options.directory);
  mkdirSync(root, { recursive: true });
  const replacements = {
    __NAME__: options.name,
    __CLUSTER_NAME__: options.clusterName,
    __IMAGE__: options.image,
    __TEMPLATE__: options.template,
    __ABOUT__: options.about,
  };
  /** @type {Map<string, string>} the template's files override the shared ones of the same path */
  const files = new Map();
  for (const source of ["common", options.template]) {
    const dir = join(TEMPLATES_DIR, source);
    for (const file of walk(dir)) files.set(targetPath(relative(dir, file)), file);
  }
  const written = [];
  for (const [path, source] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const out = join(root, path);
    mkdirSync(join(out, ".."), { recursive: true });
    writeFileSync(out, substitute(readFileSync(source, "utf8"), replacements));
    written.push(path);
  }
  writeFileSync(join(root, "package.json"), `${JSON.stringify(packageJson(options), null, 2)}\n`);
  written.push("package.json");
  return written;
}

/**
 * The scaffold's package.json.
 * @param {Pick<ScaffoldOptions, "name" | "localPackages" | "fixture">} options
 */
export function packageJson({ name, localPackages, fixture }) {
  const dependency = (/** @type {string} */ pkg) => (localPackages ? `file:${localTarball(localPackages, pkg)}` : ROBUSTA_VERSION);
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      test: "vitest run --configLoader runner",
      typecheck: "tsc --noEmit",
      build: "robusta build",
      dev: "robusta dev --config values.yaml playbooks",
      simulate: `robusta simulate ${fixture} playbooks --config values.yaml`,
      validate: "robusta validate values.yaml playbooks",
    },
    dependencies: {
      "@robusta-ts/runtime": dependency("runtime"),
      "@robusta-ts/sdk": dependency("sdk"),
    },
    devDependencies: { ...DEV_DEPENDENCIES },
    // npm runs install scripts only for these: esbuild's fetches its binary, node's installs Node 24.
    allowScripts: { esbuild: true, node: true },
  };
}

/**
 * The tarball `npm pack` wrote for @robusta-ts/<pkg> in `directory`, as an absolute path.
 * @param {string} directory
 * @param {string} pkg
 */
function localTarball(directory, pkg) {
  const dir = resolve(directory);
  const prefix = `robusta-ts-${pkg}-`;
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(".tgz")) : [];
  if (found.length !== 1) {
    throw new TargetError(
      `--local-packages ${directory}: expected one ${prefix}<version>.tgz there (from npm pack), found ${found.length === 0 ? "none" : found.join(", ")}`,
    );
  }
  return join(dir, /** @type {string} */ (found[0]));
}

/**
 * npm drops dotfiles like .gitignore from packages, so templates store them with "_" for ".".
 * @param {string} path
 */
function targetPath(path) {
  return path
    .split(/[\\/]/)
    .map((part) => (part.startsWith("_") ? `.${part.slice(1)}` : part))
    .join("/");
}

/**
 * @param {string} text
 * @param {Record<string, string>} replacements
 */
function substitute(text, replacements) {
  return text.replace(/__[A-Z_]+__/g, (key) => replacements[key] ?? key);
}

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  if (!existsSync(dir)) throw new Error(`template files missing: ${basename(dir)}`);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}
