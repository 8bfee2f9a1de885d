/** The Alert API's documented field limits (Opsgenie: Alert API, Create Alert). */
import { createHash } from "node:crypto";

export const OPSGENIE_LIMITS = {
  /** `message`, characters. */
  message: 130,
  /** `alias`, characters. */
  alias: 512,
  /** `description`, characters. */
  description: 15_000,
  /** `entity`, characters. */
  entity: 512,
  /** `source`, characters. */
  source: 100,
  /** `tags`: this many, each at most `tagChars` characters. */
  tags: 20,
  tagChars: 50,
  /** `details`: keys and values together, characters. */
  detailsChars: 8000,
  /** `responders`: teams, users, escalations and schedules together. */
  responders: 50,
} as const;

/**
 * An alias Opsgenie takes: the fingerprint itself, or, for a longer one, its sha256, so the
 * alert a finding opened is the one its resolve closes.
 */
export const aliasOf = (fingerprint: string): string =>
  fingerprint.length <= OPSGENIE_LIMITS.alias ? fingerprint : createHash("sha256").update(fingerprint).digest("hex");
