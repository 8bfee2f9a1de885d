/**
 * Playbooks use standard (TC39) decorators. A tsconfig with `experimentalDecorators` makes
 * TypeScript, esbuild and tsx compile the legacy kind instead, which fails in confusing ways; we
 * refuse it up front with a message that says what to change.
 */
import { getTsconfig } from "get-tsconfig";

export class LegacyDecoratorsError extends Error {
  constructor(readonly tsconfigPath: string) {
    super(
      `${tsconfigPath} enables "experimentalDecorators". Robusta playbooks use standard decorators: ` +
        `remove "experimentalDecorators" (and "emitDecoratorMetadata") from its compilerOptions, and from any config it extends.`,
    );
    this.name = "LegacyDecoratorsError";
  }
}

/** Throws LegacyDecoratorsError if the tsconfig that governs `directory` (its `extends` followed) enables legacy decorators. */
export function assertStandardDecorators(directory: string = process.cwd(), configName = "tsconfig.json"): void {
  const found = getTsconfig(directory, configName);
  if (found?.config.compilerOptions?.experimentalDecorators) throw new LegacyDecoratorsError(found.path);
}
