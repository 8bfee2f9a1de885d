/** `pagerduty_sink` parameters: Robusta's `api_key`, plus `api_url` for PagerDuty's EU region. */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

/** PagerDuty's public Events API. */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com";

export const pagerdutySinkParams = z
  .object({
    ...sinkBaseParams,
    api_key: z
      .string()
      .regex(/^\S{32}$/, "must be the 32-character integration key of an Events API v2 integration (Service → Integrations)")
      .describe("The integration (routing) key of an Events API v2 integration on a PagerDuty service. Never logged."),
    api_url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .default(PAGERDUTY_EVENTS_URL)
      .describe("The Events API's base URL: https://events.eu.pagerduty.com for an account in PagerDuty's EU region."),
  })
  .strict();

/** A validated `pagerduty_sink` entry. */
export type PagerdutySinkParams = z.output<typeof pagerdutySinkParams>;
