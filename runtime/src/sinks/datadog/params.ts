/** `datadog_sink` parameters: Robusta's `api_key`, plus `site` for Datadog's other regions. */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

// A Datadog site as Datadog names it: datadoghq.com, us3.datadoghq.com, datadoghq.eu, ddog-gov.com, ...
const SITE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
const SITE_PROBLEM = "must be a Datadog site (datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ddog-gov.com) or an https:// URL";

/**
 * The API's base URL for a site: `datadoghq.eu` (or `app.datadoghq.eu`) → https://api.datadoghq.eu;
 * a URL is taken as the API's base (a proxy; tests). Undefined when `site` is neither.
 */
export function apiBaseUrl(site: string): string | undefined {
  if (/^https?:\/\//i.test(site)) {
    if (!URL.canParse(site)) return undefined;
    const url = new URL(site);
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }
  return SITE.test(site) ? `https://api.${site.toLowerCase().replace(/^(?:app|api)\./, "")}` : undefined;
}

export const datadogSinkParams = z
  .object({
    ...sinkBaseParams,
    api_key: z.string().min(1).describe("A Datadog API key (Organization Settings → API Keys). Never logged."),
    site: z
      .string()
      .default("datadoghq.com")
      .refine((site) => apiBaseUrl(site) !== undefined, SITE_PROBLEM)
      .describe(
        "Your Datadog site, as in the address you log in at: `datadoghq.com` (US1), `us3.datadoghq.com`, `us5.datadoghq.com`, `datadoghq.eu`, `ap1.datadoghq.com`, `ddog-gov.com`; or the API's https:// base URL (a proxy).",
      ),
  })
  .strict();

/** A validated `datadog_sink` entry. */
export type DatadogSinkParams = z.output<typeof datadogSinkParams>;
