export { assertStandardDecorators, LegacyDecoratorsError } from "./tsconfig-check.js";
export { playbookBundleOptions, playbookTransformOptions, PLAYBOOK_TARGET } from "./esbuild-options.js";
