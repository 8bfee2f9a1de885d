/**
 * Robusta's `{{ env.VAR }}`: secrets reach the config through environment variables (from a
 * Secret via `valueFrom.secretKeyRef`) instead of being written in values. Substituted in string
 * values anywhere under the given value; a variable that is not set is an error, as in Robusta,
 * since running with an empty token only fails later and less clearly.
 */
const REFERENCE = /{{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*}}/g;

export interface MissingVariable {
  readonly path: readonly (string | number)[];
  readonly variable: string;
}

/** A copy of `value` with every reference substituted; each missing variable is reported with its path. */
export function substituteEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  missing: MissingVariable[],
  path: readonly (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(REFERENCE, (reference, variable: string) => {
      const found = env[variable];
      if (found === undefined) {
        missing.push({ path, variable });
        return reference;
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, missing, [...path, i]));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, missing, [...path, key])]));
  }
  return value;
}
