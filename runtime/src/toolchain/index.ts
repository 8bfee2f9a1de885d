export { assertStandardDecorators, LegacyDecoratorsError } from "./tsconfig-check.js";
export { playbookTransformOptions, PLAYBOOK_TARGET } from "./esbuild-options.js";
