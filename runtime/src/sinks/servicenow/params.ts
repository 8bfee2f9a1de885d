/** `service_now_sink` parameters: Robusta's keys (§7.2, `ServiceNowSinkParams`). */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

// An instance name as in https://<name>.service-now.com.
const INSTANCE_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
// A host name (a custom domain), without a scheme.
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+(?::\d+)?$/i;
const INSTANCE_PROBLEM = "must be an instance name (dev12345), a host name (itsm.example.com) or an https:// URL";

/**
 * The instance's base URL: `dev12345` → https://dev12345.service-now.com, `itsm.example.com` →
 * https://itsm.example.com, a URL as given (no trailing slash). Undefined when it is none of these.
 */
export function instanceUrl(instance: string): string | undefined {
  if (/^https?:\/\//i.test(instance)) {
    if (!URL.canParse(instance)) return undefined;
    const url = new URL(instance);
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }
  if (INSTANCE_NAME.test(instance)) return `https://${instance.toLowerCase()}.service-now.com`;
  if (HOST_NAME.test(instance)) return `https://${instance.toLowerCase()}`;
  return undefined;
}

export const serviceNowSinkParams = z
  .object({
    ...sinkBaseParams,
    instance: z
      .string()
      .min(1)
      .refine((instance) => instanceUrl(instance) !== undefined, INSTANCE_PROBLEM)
      .describe(
        "The ServiceNow instance: its name (`dev12345` for https://dev12345.service-now.com), a host name for a custom domain, or a full https:// URL.",
      ),
    username: z.string().min(1).describe("The user incidents are created as (basic authentication); it needs to create, read and update incidents and add attachments (e.g. the `itil` role)."),
    password: z.string().min(1).describe("That user's password. Never logged."),
    caller_id: z
      .string()
      .min(1)
      .optional()
      .describe("The incident's caller: a `sys_user` sys_id, or a user's name as ServiceNow displays it."),
    send_resolved: z
      .boolean()
      .default(true)
      .describe("When a finding resolves, set the open incident opened for it (same fingerprint, in `correlation_id`) to `resolved_state`."),
    resolved_state: z
      .number()
      .int()
      .default(6)
      .describe("The incident `state` a resolved finding sets (6 is Resolved in ServiceNow's default state model)."),
    close_code: z
      .string()
      .min(1)
      .default("Solution provided")
      .describe(
        "The Resolution code (`close_code`) set with `resolved_state`, which a default instance requires; older instances use codes such as `Solved (Permanently)`.",
      ),
  })
  .strict();

/** A validated `service_now_sink` entry. */
export type ServiceNowSinkParams = z.output<typeof serviceNowSinkParams>;
