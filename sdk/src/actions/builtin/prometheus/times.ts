/** Times in action parameters, as Robusta takes them. */
import { z } from "zod";

/** Milliseconds since the epoch of Robusta's "%Y-%m-%d %H:%M:%S %Z" ("2022-09-14 09:40:59 UTC") or of ISO 8601; NaN otherwise. */
export function parseTime(text: string): number {
  const robusta = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (?:UTC|GMT|Z)$/.exec(text.trim());
  return Date.parse(robusta ? `${robusta[1]}T${robusta[2]}Z` : text);
}

/** A time parameter: "2022-09-14 09:40:59 UTC" or ISO 8601. */
export const timeParam = z.string().refine((text) => !Number.isNaN(parseTime(text)), {
  message: 'must be a time like "2022-09-14 09:40:59 UTC" or ISO 8601',
});
