/**
 * The mail as the SMTP server gets it (RFC 5322, MIME: an HTML part with its text alternative,
 * then the attachments), built by nodemailer's MailComposer so that its size is known before it
 * is sent. Bcc recipients are not written in it: they are only in the SMTP envelope.
 */
import MailComposer from "nodemailer/lib/mail-composer";
import type { AttachedFile } from "../common/files.js";
import type { MailAddress } from "./mailto.js";
import type { MailContent } from "./render-mail.js";

/** Who the mail is from and to, as its headers say. */
export interface MailHeaders {
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly replyTo: readonly MailAddress[];
  /** Extra headers (mailto's `+Name=value`); the standard ones win over them. */
  readonly extra: Readonly<Record<string, string>>;
}

const named = (address: MailAddress) => ({ name: address.name ?? "", address: address.address });

/** The raw message. */
export async function composeMail(headers: MailHeaders, content: MailContent, attachments: readonly AttachedFile[]): Promise<Buffer> {
  const composer = new MailComposer({
    from: named(headers.from),
    to: headers.to.map(named),
    ...(headers.cc.length > 0 && { cc: headers.cc.map(named) }),
    ...(headers.replyTo.length > 0 && { replyTo: headers.replyTo.map(named) }),
    subject: content.subject,
    text: content.text,
    html: content.html,
    attachments: attachments.map((file) => ({ filename: file.filename, content: file.bytes, contentType: file.contentType })),
    headers: { ...headers.extra },
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
