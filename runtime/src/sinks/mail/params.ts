/**
 * `mail_sink` parameters: Robusta's keys (`mailto`, `with_header`, and the SES keys), plus
 * `max_message_kb`. Amazon SES's HTTP API is not offered: SES takes SMTP too, so its keys are
 * refused with a message saying how to write the same thing as a mailto URL.
 */
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";
import { parseMailto } from "./mailto.js";

/** The smallest `max_message_kb` taken: a finding's title and description always fit in it. */
export const MIN_MESSAGE_KB = 256;

const SES_SMTP = "mailtos://<SES SMTP user>:<SES SMTP password>@email-smtp.<region>.amazonaws.com?from=<verified sender>&to=<recipients>";

/** Robusta's SES keys, and how to say the same in a mailto URL for SES's SMTP interface. */
const SES_KEYS = {
  aws_region: "the region is part of the SES SMTP host in mailto (email-smtp.<region>.amazonaws.com)",
  aws_access_key_id: "put SES SMTP credentials in mailto as user:password",
  aws_secret_access_key: "put SES SMTP credentials in mailto as user:password",
  from_email: "use from= in mailto",
  configuration_set: "add +X-SES-CONFIGURATION-SET=<name> to mailto",
} as const;

const sesKey = (key: keyof typeof SES_KEYS) =>
  z
    .unknown()
    .optional()
    // Placeholders such as <region> in code spans, so that the reference page shows them.
    .describe(`Robusta's SES setting. Not supported (mail goes over SMTP): ${SES_KEYS[key].replace(/[\w.+=-]*<[^>]+>[\w.+=-]*/g, "`$&`")}.`);

export const mailSinkParams = z
  .object({
    ...sinkBaseParams,
    mailto: z
      .string()
      .superRefine((url, ctx) => {
        const result = parseMailto(url);
        if (!result.ok) for (const problem of result.problems) ctx.addIssue({ code: "custom", message: problem });
      })
      .describe(
        "An Apprise mail URL: `mailtos://user:password@smtp.example.com?from=alerts@example.com&to=a@example.com,b@example.com`. " +
          "`mailtos://` secures the connection (STARTTLS on 587, or `mode=ssl` on 465); `mailto://` does not (port 25). Also `cc=`, " +
          "`bcc=`, `reply=`, `name=` (the sender's name), `smtp=` (the server, when the host is the mail domain), `port=`, `verify=no` " +
          "(do not check the TLS certificate), `cto=`/`rto=` (timeouts in seconds) and `+Header=value`. URL-encode special characters " +
          "in the password. Never logged.",
      ),
    with_header: z
      .boolean()
      .default(true)
      .describe("Start the mail with the status and severity, the title, the source cluster and the links; false: the description and enrichments only."),
    max_message_kb: z
      .number()
      .int()
      .min(MIN_MESSAGE_KB)
      .default(10_240)
      .describe(
        "Largest mail sent, in KB (1024 bytes), as the SMTP server counts it (encoded, attachments included). Attachments that do " +
          "not fit are left out (the newest first), and whole enrichments if the body alone is too large; the mail says what.",
      ),
    use_ses: z
      .boolean()
      .default(false)
      .refine((useSes) => !useSes, {
        message: `Amazon SES's API is not supported; send through SES's SMTP interface with mailto: ${SES_SMTP}`,
      })
      .describe("Robusta's SES mode. Not supported: SES takes SMTP, so write the SES SMTP endpoint as `mailto` instead."),
    aws_region: sesKey("aws_region"),
    aws_access_key_id: sesKey("aws_access_key_id"),
    aws_secret_access_key: sesKey("aws_secret_access_key"),
    from_email: sesKey("from_email"),
    configuration_set: sesKey("configuration_set"),
  })
  .strict()
  .superRefine((params, ctx) => {
    for (const [key, how] of Object.entries(SES_KEYS)) {
      if (params[key as keyof typeof SES_KEYS] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `Amazon SES's API is not supported (mail goes over SMTP); ${how}` });
      }
    }
  });

/** A validated `mail_sink` entry. */
export type MailSinkParams = z.output<typeof mailSinkParams>;
