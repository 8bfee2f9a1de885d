/**
 * Test code has no place in the runner image: an import of the test harness, vitest or a test
 * file from production code fails the build, naming the file that imports it and what to do.
 */
import { isAbsolute, relative, sep } from "node:path";
import type { Plugin } from "esbuild";

/** Why an import specifier is refused, or undefined when it is fine. */
export function forbiddenImportReason(specifier: string): string | undefined {
  if (specifier === "@robusta-ts/sdk/testing" || specifier.startsWith("@robusta-ts/sdk/testing/")) {
    return "the test harness is for tests only; move this code to test/ or import from @robusta-ts/sdk";
  }
  if (specifier === "vitest" || specifier.startsWith("vitest/") || specifier.startsWith("@vitest/")) {
    return "vitest is for tests only; move this code to test/";
  }
  // "./x.test", "./x.test.js", "../x.spec.ts": test files, however they are written.
  if (/\.(test|spec)(\.[cm]?[jt]sx?)?$/.test(specifier)) {
    return "test files are not part of the runner; move the shared code out of the test file";
  }
  return undefined;
}

/** Whether a file is the project's own code (not a dependency's: the runtime's simulated cluster, say, uses the harness by design). */
function isProjectCode(root: string, file: string): boolean {
  const rel = relative(root, file);
  return !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes("node_modules");
}

/** The esbuild plugin; `root` is the project: its own files are checked, and named relative to it. */
export function forbiddenImports(root: string): Plugin {
  return {
    name: "robusta:forbidden-imports",
    setup(build) {
      build.onResolve({ filter: /./ }, (args) => {
        if (args.kind === "entry-point" || (args.namespace === "file" && !isProjectCode(root, args.importer))) return undefined;
        const reason = forbiddenImportReason(args.path);
        if (reason === undefined) return undefined;
        const importer = args.namespace === "file" ? relative(root, args.importer) || args.importer : "the build's entry (--entry or robusta.playbooks)";
        return { errors: [{ text: `${importer} imports ${args.path}: ${reason}`, pluginName: "" }] };
      });
    },
  };
}
