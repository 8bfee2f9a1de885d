/** Command-line options of create-robusta-playbooks, and the checks every answer goes through. */
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { findTemplate, TEMPLATES } from "./templates.js";

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  /** @override */
  name = "UsageError";
}

export const USAGE = `Usage: npm create robusta-playbooks [DIR] -- [options]
       create-robusta-playbooks [DIR] [options]

Creates a repository of Robusta for TypeScript playbooks in DIR: an example playbook and its
test, a strict tsconfig, a Dockerfile for the runner image, a CI workflow, Helm values.

Options (each answers one question; with --yes, without a terminal or with CI set, nothing is
asked and the defaults are used):
  --template NAME       ${TEMPLATES.map((t) => t.name).join(" | ")} (default: crash-loop)
${TEMPLATES.map((t) => `                          ${t.name}: ${t.title}`).join("\n")}
  --name NAME           the npm package name (default: from DIR)
  --cluster-name NAME   clusterName in values.yaml, shown on every finding (default: my-cluster)
  --image REPOSITORY    the runner image CI pushes and Helm deploys, without a tag
                        (default: ghcr.io/my-org/<name>)
  -y, --yes             ask nothing: use the defaults for what the options do not say
  --overwrite           write into a non-empty DIR, replacing files of the same name
  --local-packages DIR  depend on the @robusta-ts packages packed (npm pack) into DIR
                        instead of the registry's: for trying unreleased versions
  -h, --help            show this help
`;

/** DIR when none is given and nothing may be asked. */
export const DEFAULT_DIRECTORY = "robusta-playbooks";
export const DEFAULT_CLUSTER_NAME = "my-cluster";

/**
 * @typedef {object} CliOptions
 * @property {string | undefined} directory
 * @property {string | undefined} template
 * @property {string | undefined} name
 * @property {string | undefined} clusterName
 * @property {string | undefined} image
 * @property {string | undefined} localPackages
 * @property {boolean} yes
 * @property {boolean} overwrite
 * @property {boolean} help
 */

/**
 * Parses the arguments; checks every value given, so a mistake is reported before anything is asked.
 * @param {readonly string[]} argv
 * @returns {CliOptions}
 */
export function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        template: { type: "string", short: "t" },
        name: { type: "string" },
        "cluster-name": { type: "string" },
        image: { type: "string" },
        "local-packages": { type: "string" },
        yes: { type: "boolean", short: "y", default: false },
        overwrite: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`give one directory, not ${positionals.length}: ${positionals.join(" ")}`);
  const options = {
    directory: positionals[0],
    template: values.template,
    name: values.name,
    clusterName: values["cluster-name"],
    image: values.image,
    localPackages: values["local-packages"],
    yes: values.yes,
    overwrite: values.overwrite,
    help: values.help,
  };
  if (options.help) return options;
  /** @type {[string, string | undefined, (value: string) => string | undefined][]} */
  const checks = [
    ["DIR", options.directory, checkDirectory],
    ["--template", options.template, checkTemplate],
    ["--name", options.name, checkPackageName],
    ["--cluster-name", options.clusterName, checkClusterName],
    ["--image", options.image, checkImage],
  ];
  for (const [flag, value, check] of checks) {
    const problem = value === undefined ? undefined : check(value);
    if (problem) throw new UsageError(`${flag}: ${problem}`);
  }
  return options;
}

// Each check returns what is wrong with a value, or undefined when it is fine.

/** @param {string} value */
export function checkDirectory(value) {
  if (value.trim() === "") return "the directory must not be empty";
  return undefined;
}

/** @param {string} value */
export function checkTemplate(value) {
  if (findTemplate(value)) return undefined;
  return `unknown template "${value}": one of ${TEMPLATES.map((t) => t.name).join(", ")}`;
}

// npm's rules: lowercase, URL-safe, optionally scoped, at most 214 characters.
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** @param {string} value */
export function checkPackageName(value) {
  if (value.length > 214) return "an npm package name has at most 214 characters";
  if (!PACKAGE_NAME.test(value)) {
    return `"${value}" is not a valid npm package name (lowercase letters, digits, - . _ ~, optionally @scope/)`;
  }
  return undefined;
}

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** @param {string} value */
export function checkClusterName(value) {
  if (!CLUSTER_NAME.test(value)) return `"${value}" is not a usable cluster name (letters, digits, - . _; starting with a letter or digit)`;
  return undefined;
}

// Docker's reference grammar for a repository: an optional registry host[:port], then
// lowercase path components separated by slashes.
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?${COMPONENT}(?:/${COMPONENT})*$`);

/** @param {string} value */
export function checkImage(value) {
  const last = value.slice(value.lastIndexOf("/") + 1);
  if (last.includes(":") || value.includes("@")) {
    return `give the image repository without a tag or digest (e.g. ghcr.io/my-org/playbooks): the tag goes in values.yaml, runner.image.tag`;
  }
  if (!IMAGE.test(value)) return `"${value}" is not a valid image repository (lowercase, like ghcr.io/my-org/playbooks)`;
  return undefined;
}

/**
 * The package name a directory suggests: its last segment, made a valid npm name.
 * @param {string} directory
 */
export function defaultPackageName(directory) {
  const name = basename(resolve(directory))
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "");
  return name && !checkPackageName(name) ? name : DEFAULT_DIRECTORY;
}

/**
 * The image repository a package name suggests, under a placeholder organization.
 * @param {string} packageName
 */
export function defaultImage(packageName) {
  const last = packageName.replace(/^@[^/]+\//, "").replace(/[~]/g, "-");
  const image = `ghcr.io/my-org/${last}`;
  return checkImage(image) ? `ghcr.io/my-org/${DEFAULT_DIRECTORY}` : image;
}
