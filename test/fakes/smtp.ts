/**
 * A loopback SMTP server for mail tests, on the `smtp-server` library: AUTH PLAIN/LOGIN against
 * the users it is given (535 otherwise), a SIZE limit it advertises and enforces (552),
 * STARTTLS with the library's self-signed certificate (or none), and replies injected on demand
 * (`failNext`) as real servers word them. Each delivered mail is kept raw and parsed by
 * `mailparser`, so tests read its subject, addresses, bodies and attachments.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

/** When an injected reply is given: at the greeting, to MAIL FROM, RCPT TO, or after the data. */
export type SmtpStage = "connect" | "mail" | "rcpt" | "data";

export interface SmtpReply {
  /** The reply code: 421, 451, 550, 552, 554, ... */
  readonly code: number;
  /** The text after the code, e.g. "5.1.1 <ops@example.com>: Recipient address rejected". */
  readonly message: string;
  /** Default "data". */
  readonly at?: SmtpStage;
}

export interface SmtpFakeOptions {
  /** Who may sign in (user → password). When given, sending needs AUTH. */
  readonly users?: Readonly<Record<string, string>>;
  /** The largest message in bytes, advertised as SIZE; larger ones get 552. */
  readonly size?: number;
  /** Offer STARTTLS (a self-signed certificate). Default true. */
  readonly starttls?: boolean;
}

/** One mail the server accepted. */
export interface ReceivedMail {
  /** MAIL FROM and RCPT TO. */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** Who signed in, if anyone. */
  readonly user: string | undefined;
  /** Whether the session was over TLS. */
  readonly secure: boolean;
  readonly raw: Buffer;
  readonly mail: ParsedMail;
}

/** One reply that was not a success, as sent. */
export interface SentRejection {
  readonly stage: SmtpStage | "auth";
  readonly code: number;
  readonly message: string;
}

const rejection = (reply: { code: number; message: string }): Error => Object.assign(new Error(reply.message), { responseCode: reply.code });

export class SmtpFake {
  /** Every mail accepted, in order. */
  readonly mails: ReceivedMail[] = [];
  /** Every error reply sent (injected, AUTH, SIZE), in order. */
  readonly rejections: SentRejection[] = [];
  private readonly failures: SmtpReply[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** Starts a server on 127.0.0.1 and a free port. */
  static async start(options: SmtpFakeOptions = {}): Promise<SmtpFake> {
    let fake: SmtpFake | undefined;
    const users = options.users;
    const server = new SMTPServer({
      logger: false,
      // The library's own default self-signed certificate serves STARTTLS.
      disabledCommands: [...(users ? [] : ["AUTH"]), ...(options.starttls === false ? ["STARTTLS"] : [])],
      authMethods: ["PLAIN", "LOGIN"],
      authOptional: users === undefined,
      allowInsecureAuth: true,
      ...(options.size !== undefined && { size: options.size, rejectOversized: true }),
      onConnect: (_session, callback) => callback(fake!.injected("connect")),
      onAuth: (auth, _session, callback) => {
        if (auth.username !== undefined && users?.[auth.username] === auth.password) return callback(null, { user: auth.username });
        const reply = { code: 535, message: "5.7.8 Authentication credentials invalid" };
        fake!.rejections.push({ stage: "auth", ...reply });
        callback(rejection(reply));
      },
      onMailFrom: (_address, _session, callback) => callback(fake!.injected("mail")),
      onRcptTo: (_address, _session, callback) => callback(fake!.injected("rcpt")),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          fake!.received(Buffer.concat(chunks), session, stream.sizeExceeded, options.size).then(
            () => callback(null),
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    fake = new SmtpFake(server, (server.server.address() as AddressInfo).port);
    return fake;
  }

  /** Answers the next `count` times `failure.at` (default: the end of the data) comes with `failure`. */
  failNext(count: number, failure: SmtpReply): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** The only mail accepted; fails when there is not exactly one. */
  get mail(): ReceivedMail {
    if (this.mails.length !== 1) throw new Error(`expected one mail, got ${this.mails.length}`);
    return this.mails[0]!;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The injected reply for `stage`, if the next failure is for it. */
  private injected(stage: SmtpStage): Error | null {
    const next = this.failures[0];
    if (!next || (next.at ?? "data") !== stage) return null;
    this.failures.shift();
    this.rejections.push({ stage, code: next.code, message: next.message });
    return rejection(next);
  }

  private async received(raw: Buffer, session: SMTPServerSession, sizeExceeded: boolean, size: number | undefined): Promise<void> {
    if (sizeExceeded) {
      // smtp-server answers 552 itself (rejectOversized); recorded for the tests.
      this.rejections.push({ stage: "data", code: 552, message: `Error: message exceeds fixed maximum message size ${size}` });
      return;
    }
    const failure = this.injected("data");
    if (failure) throw failure;
    this.mails.push({
      envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
      user: typeof session.user === "string" ? session.user : undefined,
      secure: session.secure,
      raw,
      mail: await simpleParser(raw),
    });
  }
}
