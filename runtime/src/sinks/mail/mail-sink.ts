/** Robusta's `mail_sink`: each finding as an HTML mail with a text alternative and its files attached, over SMTP. */
import type { Finding, Logger } from "@robusta-ts/sdk";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { BaseSink } from "../common/base-sink.js";
import { findingFiles } from "../common/files.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { composeMail, type MailHeaders } from "./compose.js";
import { fitMail, type FittedMail } from "./fit-message.js";
import type { MailtoSettings } from "./mailto.js";
import { renderMail } from "./render-mail.js";
import { smtpDeliveryError } from "./smtp-errors.js";

export interface MailSinkOptions {
  readonly clusterName: string;
  readonly logger: Logger;
  /** The parsed `mailto`. */
  readonly mailto: MailtoSettings;
  /** Robusta's `with_header`. */
  readonly withHeader: boolean;
  /** `max_message_kb`, in bytes. */
  readonly maxMessageBytes: number;
}

/** Apprise's connect timeout; a stalled server is given up (and retried) after the read timeout. */
const CONNECT_TIMEOUT_MS = 15_000;
const READ_TIMEOUT_MS = 60_000;

/** The nodemailer transport for a mailto: one SMTP session per mail, as Apprise sends. */
function transportFor(mailto: MailtoSettings): Transporter {
  return nodemailer.createTransport({
    host: mailto.host,
    port: mailto.port,
    secure: mailto.mode === "ssl",
    requireTLS: mailto.mode === "starttls",
    ignoreTLS: mailto.mode === "insecure",
    tls: { rejectUnauthorized: mailto.verify },
    ...(mailto.user !== undefined && mailto.password !== undefined && { auth: { user: mailto.user, pass: mailto.password } }),
    connectionTimeout: mailto.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    greetingTimeout: mailto.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    socketTimeout: mailto.readTimeoutMs ?? READ_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
}

/** Sends each finding as one mail to every recipient of the mailto. */
export class MailSink extends BaseSink {
  /** "host:port", what errors name (the mailto itself holds the password). */
  readonly server: string;
  private readonly transport: Transporter;
  private readonly headers: MailHeaders;
  private readonly recipients: readonly string[];
  private readonly secrets: readonly string[];

  constructor(
    base: SinkBase,
    private readonly options: MailSinkOptions,
  ) {
    super(base);
    const { mailto } = options;
    this.server = `${mailto.host}:${mailto.port}`;
    this.transport = transportFor(mailto);
    this.headers = { from: mailto.from, to: mailto.to, cc: mailto.cc, replyTo: mailto.replyTo, extra: mailto.headers };
    this.recipients = [...new Set([...mailto.to, ...mailto.cc, ...mailto.bcc].map((address) => address.address))];
    // The password, and the AUTH PLAIN token it is sent in.
    this.secrets = mailto.password === undefined ? [] : [mailto.password, `\0${mailto.user ?? ""}\0${mailto.password}`];
  }

  /** The raw message for `finding`, within max_message_kb, and what was left out of it. */
  async message(finding: Finding): Promise<FittedMail> {
    const { clusterName, withHeader, maxMessageBytes } = this.options;
    return fitMail({
      finding,
      files: findingFiles(finding),
      maxBytes: maxMessageBytes,
      render: (shown, notes) => renderMail(shown, { clusterName, withHeader, notes }),
      compose: (content, attachments) => composeMail(this.headers, content, attachments),
    });
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const { raw, omittedEnrichments, dropped } = await this.message(finding);
    if (omittedEnrichments > 0 || dropped.length > 0) {
      this.options.logger.info(
        { sink: this.name, omittedEnrichments, droppedFiles: dropped.map((file) => file.filename) },
        "mail_sink: left out what did not fit max_message_kb",
      );
    }
    const { signal } = options;
    try {
      const info = await this.transport.sendMail({
        envelope: { from: this.options.mailto.from.address, to: [...this.recipients] },
        raw,
        ...(signal !== undefined && { signal }),
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) this.options.logger.warn({ sink: this.name, rejected }, "mail_sink: the SMTP server refused some recipients");
    } catch (error) {
      // Shutdown: the queue's own reason, not a delivery failure.
      if (signal?.aborted) throw signal.reason;
      throw smtpDeliveryError(error, this.server, this.secrets);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
