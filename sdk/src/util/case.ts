/**
 * Robusta's YAML names parameters in snake_case; TypeScript callers write camelCase. Only the
 * top-level keys of a parameter object are renamed: nested objects (scopes, label maps) keep
 * their keys as written.
 */

/** "restart_count" -> "restartCount", at the type level. */
export type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<SnakeToCamel<Tail>>}`
  : S;

/** An object type with its top-level keys in camelCase. */
export type CamelKeys<T> = { [K in keyof T as K extends string ? SnakeToCamel<K> : K]: T[K] };

/** "restartCount" -> "restart_count". Keys already in snake_case are left as they are. */
export function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Renames the top-level keys of a parameter object to snake_case. */
export function snakeKeys(params: object | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined) out[toSnakeCase(key)] = value;
  }
  return out;
}
