/**
 * `robusta manifests`: the Helm chart's objects as plain YAML for `kubectl apply -f -`, from the
 * chart's defaults and the values files, with the ClusterRole computed from the playbooks.
 */
import { parseArgs } from "node:util";
import { loadPlaybookModules } from "../loader.js";
import { assertStandardDecorators } from "../toolchain/tsconfig-check.js";
import { UnknownActionError } from "../toolchain/rbac.js";
import { loadValues, manifestObjects, toYamlDocuments, ValuesError } from "../manifests/index.js";
import { UsageError } from "./usage-error.js";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function manifests(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      values: { type: "string", short: "f", multiple: true, default: [] },
      set: { type: "string", multiple: true, default: [] },
      namespace: { type: "string", short: "n", default: "robusta" },
      release: { type: "string", default: "robusta" },
    },
  });
  for (const [flag, value] of [["--namespace", values.namespace], ["--release", values.release]] as const) {
    if (!DNS_LABEL.test(value) || value.length > 53) throw new UsageError(`${flag} "${value}" must be a lowercase DNS label (a-z, 0-9, -), at most 53 characters`);
  }
  if (positionals.length > 0) assertStandardDecorators();
  const code = positionals.length > 0 ? await loadPlaybookModules(positionals) : { playbooks: [], actions: [] };
  try {
    const chartValues = await loadValues(values.values, values.set);
    const objects = manifestObjects(chartValues, { name: values.release, namespace: values.namespace }, { codePlaybooks: code.playbooks, codeActions: code.actions });
    process.stdout.write(toYamlDocuments(objects));
    return 0;
  } catch (error) {
    if (error instanceof ValuesError || error instanceof UnknownActionError) {
      // An action of the user's own is only known from their modules.
      const hint = error instanceof UnknownActionError && positionals.length === 0 ? "; if it is one of your actions, name your playbook modules: robusta manifests --values values.yaml playbooks" : "";
      process.stderr.write(`robusta manifests: ${error.message}${hint}\n`);
      return 1;
    }
    throw error;
  }
}
