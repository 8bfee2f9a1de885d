/** The `mail_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { MailSink } from "./mail-sink.js";
import { parseMailto } from "./mailto.js";
import { mailSinkParams, type MailSinkParams } from "./params.js";

export { mailSinkParams, MIN_MESSAGE_KB, type MailSinkParams } from "./params.js";
export { parseMailto, parseAddress, type MailtoSettings, type MailAddress, type SecureMode } from "./mailto.js";
export { renderMail, mailSubject, TITLE_MAX_CHARS, DESCRIPTION_MAX_CHARS, type MailContent } from "./render-mail.js";
export { renderMailText, PLAIN_TEXT } from "./render-text.js";
export { MailSink, type MailSinkOptions } from "./mail-sink.js";

export const mailSinkType = {
  description:
    "Sends each finding as an HTML mail (with a plain-text alternative and the finding's files attached) over SMTP, to the " +
    "recipients of an Apprise mailto URL, within max_message_kb.",
  params: mailSinkParams,
  create: (params: MailSinkParams, env: SinkBuildEnv): Sink => {
    const parsed = parseMailto(params.mailto);
    // The schema has checked the URL; this cannot fail for validated parameters.
    if (!parsed.ok) throw new Error(`mail_sink ${params.name}: mailto: ${parsed.problems.join("; ")}`);
    return new MailSink(sinkBaseOf(params), {
      clusterName: env.clusterName,
      logger: env.logger,
      mailto: parsed.settings,
      withHeader: params.with_header,
      maxMessageBytes: params.max_message_kb * 1024,
    });
  },
};
