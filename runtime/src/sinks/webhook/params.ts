/** `webhook_sink` parameters: Robusta's keys (§7.5), plus `headers`. */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

// RFC 9110 token: what a header name may be made of.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The smallest `size_limit` taken: below it not even a title fits. */
export const MIN_SIZE_LIMIT = 64;

export const webhookSinkParams = z
  .object({
    ...sinkBaseParams,
    url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).describe("Where findings are POSTed."),
    format: z
      .enum(["text", "json"])
      .default("text")
      .describe("`text`: a plain-text body of readable lines; `json`: the finding as JSON (Robusta's shape, enrichments last)."),
    size_limit: z
      .number()
      .int()
      .min(MIN_SIZE_LIMIT)
      .default(4096)
      .describe("Largest body sent, in bytes (UTF-8). Lines (text) or keys and enrichments (json) that would pass it are left out."),
    authorization: z
      .string()
      .min(1)
      .regex(/^[^\r\n\0]*$/, "must not contain line breaks")
      .optional()
      .describe("Sent as the Authorization header, e.g. `Bearer <token>`. Never logged."),
    slack_webhook: z
      .boolean()
      .default(false)
      .describe('With `format: json`, send `{"text": ...}` (a Slack incoming webhook\'s shape) instead of the finding.'),
    headers: z
      .record(z.string(), z.string())
      .superRefine((headers, ctx) => {
        for (const [name, value] of Object.entries(headers)) {
          if (!HEADER_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: "is not a valid header name" });
          else if (/[\r\n\0]/.test(value)) ctx.addIssue({ code: "custom", path: [name], message: "must not contain line breaks" });
        }
      })
      .default({})
      .describe("Extra request headers. `authorization` overrides an Authorization header given here; a Content-Type given here replaces the format's."),
  })
  .strict();

/** A validated `webhook_sink` entry. */
export type WebhookSinkParams = z.output<typeof webhookSinkParams>;
