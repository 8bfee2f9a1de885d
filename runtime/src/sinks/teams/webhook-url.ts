/**
 * Robusta's `webhook_override` for Teams: the template resolves against the finding (annotations
 * hold URLs; labels cannot), and a result that is not a URL names an environment variable holding
 * the URL, so annotations need not carry the webhook's secret.
 */
import type { Finding } from "@robusta-ts/sdk";
import { resolveOverride } from "../common/destination-override.js";

export interface ResolvedWebhook {
  readonly url: string;
  /** Why the override was not used, when it resolved to something unusable. */
  readonly problem?: string;
}

// What resolveOverride returns when the finding lacks an annotation the template names.
const UNRESOLVED = "\u0000unresolved";

const isHttpUrl = (value: string): boolean => {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
};

/** The webhook URL for `finding`: the override's URL, the URL in the environment variable it names, or `fallback`. */
export function resolveWebhookUrl(
  override: string | undefined,
  fallback: string,
  finding: Finding,
  clusterName: string,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedWebhook {
  if (!override) return { url: fallback };
  const resolved = resolveOverride(override, UNRESOLVED, finding, clusterName).trim();
  if (resolved === UNRESOLVED || resolved === "") return { url: fallback };
  if (isHttpUrl(resolved)) return { url: resolved };
  const fromEnv = env[resolved]?.trim();
  if (fromEnv === undefined || fromEnv === "") return { url: fallback, problem: `webhook_override resolved to "${resolved}", which is neither a URL nor a set environment variable` };
  if (!isHttpUrl(fromEnv)) return { url: fallback, problem: `environment variable ${resolved} (from webhook_override) does not hold an http(s) URL` };
  return { url: fromEnv };
}
