/**
 * ConfigMap data keys must match [-._a-zA-Z0-9]+, be at most 253 characters and not be "." or
 * "..". State keys (playbook names, rate-limit keys) are free text, so a key that breaks a rule is
 * stored under a readable prefix plus a hash of it; the original key is kept inside the value
 * (see `encodeEntry`), so nothing depends on reversing the hash.
 */
import { createHash } from "node:crypto";

const VALID = /^[-._a-zA-Z0-9]+$/;
const MAX_LENGTH = 253;
/** Marks hashed keys; a plain key starting with it is hashed too, so two keys never share a data key. */
const HASHED = "_h.";

/** The ConfigMap data key `key` is stored under. */
export function dataKeyOf(key: string): string {
  if (VALID.test(key) && key.length <= MAX_LENGTH && key !== "." && key !== ".." && !key.startsWith(HASHED)) return key;
  const readable = key.replace(/[^-._a-zA-Z0-9]+/g, "_").slice(0, 64);
  return `${HASHED}${readable}.${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

/** The ConfigMap value of an entry: its key and value, as JSON. */
export function encodeEntry(key: string, value: unknown): string {
  return JSON.stringify({ key, value });
}

/** An entry read back; undefined for a value this store did not write. */
export function decodeEntry(text: string): { key: string; value: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || !("key" in parsed) || !("value" in parsed)) return undefined;
    const { key, value } = parsed as { key: unknown; value: unknown };
    return typeof key === "string" ? { key, value } : undefined;
  } catch {
    return undefined;
  }
}
