import { binaryFile, createFinding, file, table, type Finding } from "@robusta-ts/sdk";
import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { SmtpFake, type SmtpFakeOptions } from "../../../test/fakes/smtp.js";
import type { DeliveryError } from "../../src/delivery/delivery-error.js";
import { mailSinkType, type MailSink } from "../../src/sinks/mail/index.js";
import { sampleFinding } from "../webhook/sample-finding.js";
import { failureOf as sinkFailureOf } from "../sinks-common/support.js";

const PASSWORD = "s3cr3t:p@ss";
const RECIPIENTS = "to=Ops%20%3Cops@example.com%3E,oncall@example.com&cc=lead@example.com&bcc=audit@example.com";

let fake: SmtpFake | undefined;
let sink: MailSink | undefined;
afterEach(async () => {
  await sink?.close();
  await fake?.close();
  fake = sink = undefined;
});

/** A server, and a sink sending to it as a mail_sink entry with `query` after the usual from/to would. */
async function setUp(query = "", fakeOptions: SmtpFakeOptions = { users: { robusta: PASSWORD } }, entry: Record<string, unknown> = {}, scheme = "mailto") {
  fake = await SmtpFake.start(fakeOptions);
  const logger = new MemoryLogger();
  const mailto = `${scheme}://robusta:${encodeURIComponent(PASSWORD)}@127.0.0.1:${fake.port}?from=robusta@example.com&${RECIPIENTS}${query}`;
  const params = mailSinkType.params.parse({ name: "mail", mailto, ...entry });
  sink = mailSinkType.create(params, { clusterName: "prod-eu", globalConfig: {}, logger }) as MailSink;
  return { fake, sink, logger };
}

/** The DeliveryError `promise` rejects with, which never shows the password. */
async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await sinkFailureOf(promise);
  expect(error.message).not.toContain("p@ss");
  return error;
}

describe("mail sink", () => {
  it("sends one HTML mail with a text alternative and the files attached, signed in, to every recipient", async () => {
    const { fake, sink } = await setUp();
    await sink.write(sampleFinding());
    const { mail, envelope, user } = fake.mail;
    expect(user).toBe("robusta");
    expect(envelope).toEqual({ from: "robusta@example.com", to: ["ops@example.com", "oncall@example.com", "lead@example.com", "audit@example.com"] });
    expect(mail.subject).toBe("Crashing pod web-0 in namespace demo");
    expect(mail.from?.value).toEqual([{ address: "robusta@example.com", name: "" }]);
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value).toEqual([
      { address: "ops@example.com", name: "Ops" },
      { address: "oncall@example.com", name: "" },
    ]);
    expect(mail.cc && !Array.isArray(mail.cc) && mail.cc.text).toBe("lead@example.com");
    expect(mail.bcc).toBeUndefined();
    expect(fake.mail.raw.toString()).not.toMatch(/^bcc:/im); // Bcc is only in the envelope
    expect(mail.html).toContain("<title>Crashing pod web-0 in namespace demo</title>");
    expect(mail.html).toContain("<b>Source:</b>");
    expect(mail.text).toContain("Source: prod-eu\n\nThe container app restarted 3 times in 5 minutes.");
    expect(mail.attachments.map((attachment) => [attachment.filename, attachment.contentType, attachment.content.toString()])).toEqual([
      ["web-0.log", "text/plain", "boom\n"],
    ]);
  });

  it("attaches binary files byte for byte", async () => {
    const { fake, sink } = await setUp();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    await sink.write(createFinding({ title: "Graph", aggregationKey: "X", enrichments: [{ annotations: {}, blocks: [binaryFile("cpu.png", png)] }] }));
    const [attachment] = fake.mail.mail.attachments;
    expect(attachment).toMatchObject({ filename: "cpu.png", contentType: "image/png" });
    expect(Buffer.compare(attachment!.content, png)).toBe(0);
  });

  it("sends a resolved finding with [RESOLVED] in the subject, and no header with with_header: false", async () => {
    const { fake, sink } = await setUp("", undefined, { with_header: false });
    await sink.write(sampleFinding({ status: "resolved" }));
    expect(fake.mail.mail.subject).toBe("[RESOLVED] Crashing pod web-0 in namespace demo");
    expect(fake.mail.mail.text!.startsWith("The container app restarted")).toBe(true);
    expect(fake.mail.mail.html).not.toContain("Source:");
  });

  it("adds mailto's +headers and reply=", async () => {
    const { fake, sink } = await setUp("&reply=help@example.com&+X-SES-CONFIGURATION-SET=alerts");
    await sink.write(sampleFinding());
    expect(fake.mail.mail.headers.get("x-ses-configuration-set")).toBe("alerts");
    expect(fake.mail.mail.replyTo?.text).toBe("help@example.com");
  });

  it("upgrades with STARTTLS in mode=starttls (mailtos://), and refuses an untrusted certificate unless verify=no", async () => {
    const { fake, sink } = await setUp("&verify=no", undefined, {}, "mailtos");
    await sink.write(sampleFinding());
    expect(fake.mail.secure).toBe(true);
    await sink.close();
    await fake.close();

    // smtp-server's own test certificate is self-signed (and expired).
    const strict = await setUp("", undefined, {}, "mailtos");
    const error = await failureOf(strict.sink.write(sampleFinding()));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^SMTP server 127\.0\.0\.1:\d+: its TLS certificate is not trusted \(\w+\); add verify=no to mailto to skip the check$/);
  });

  it("does not upgrade a mailto:// connection, as Apprise does not", async () => {
    const { fake, sink } = await setUp();
    await sink.write(sampleFinding());
    expect(fake.mail.secure).toBe(false);
  });

  describe("failures", () => {
    it("a refused password is permanent, with the server's reply and never the password", async () => {
      const { sink } = await setUp("", { users: { robusta: "another" } });
      const error = await failureOf(sink.write(sampleFinding()));
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/^SMTP server 127\.0\.0\.1:\d+ answered 535 5\.7\.8 Authentication credentials invalid \(to AUTH PLAIN\)$/);
    });

    it("a refused recipient (550) is permanent", async () => {
      const { fake, sink } = await setUp();
      fake.failNext(4, { code: 550, message: "5.1.1 <ops@example.com>: Recipient address rejected: User unknown", at: "rcpt" });
      const error = await failureOf(sink.write(sampleFinding()));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("answered 550 5.1.1 <ops@example.com>: Recipient address rejected: User unknown (to RCPT TO)");
      expect(fake.mails).toHaveLength(0);
    });

    it("a mail the server finds too large (552) is permanent", async () => {
      const { fake, sink } = await setUp("", { users: { robusta: PASSWORD }, size: 4000 });
      const error = await failureOf(sink.write(sampleFinding()));
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/answered 552 .*message exceeds fixed maximum message size/);
      expect(fake.mails).toHaveLength(0);
    });

    it("some recipients refused: sent to the others, and logged", async () => {
      const { fake, sink, logger } = await setUp();
      fake.failNext(1, { code: 550, message: "5.1.1 Mailbox unavailable", at: "rcpt" });
      await sink.write(sampleFinding());
      expect(fake.mail.envelope.to).toEqual(["oncall@example.com", "lead@example.com", "audit@example.com"]);
      expect(logger.entries.some((entry) => entry.message.includes("refused some recipients"))).toBe(true);
    });

    it.each([
      ["421 on connecting", { code: 421, message: "4.7.0 Try again later, closing connection", at: "connect" as const }, "421 4.7.0 Try again later, closing connection (on connecting)"],
      ["451 after the data (greylisting)", { code: 451, message: "4.7.1 Greylisted, please try again in 180 seconds", at: "data" as const }, "451 4.7.1 Greylisted, please try again in 180 seconds (to DATA)"],
      ["452 to MAIL FROM", { code: 452, message: "4.3.1 Insufficient system storage", at: "mail" as const }, "452 4.3.1 Insufficient system storage (to MAIL FROM)"],
    ])("%s is retryable", async (_, failure, said) => {
      const { fake, sink } = await setUp();
      fake.failNext(1, failure);
      const error = await failureOf(sink.write(sampleFinding()));
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(`answered ${said}`);
      await sink.write(sampleFinding()); // and the next attempt goes through
      expect(fake.mails).toHaveLength(1);
    });

    it("a server that cannot be reached is retryable", async () => {
      const { fake, sink } = await setUp();
      await fake.close();
      const error = await failureOf(sink.write(sampleFinding()));
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^SMTP server 127\.0\.0\.1:\d+: .*\(ECONNREFUSED\)$/);
    });

    it("mode=ssl against a server without TLS is permanent, with a hint", async () => {
      const { sink } = await setUp("&mode=ssl");
      const error = await failureOf(sink.write(sampleFinding()));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("does not start with TLS on this port; mode=ssl is for implicit TLS (465), use mode=starttls for 587");
    });

    it("stopping gives the stop's reason, not a delivery failure", async () => {
      const { sink } = await setUp();
      const controller = new AbortController();
      const reason = new Error("runner stopping");
      controller.abort(reason);
      await expect(sink.write(sampleFinding(), { signal: controller.signal })).rejects.toBe(reason);
    });
  });

  describe("max_message_kb", () => {
    const bigLog = "x".repeat(400 * 1024);
    const withFiles = (): Finding =>
      createFinding({
        title: "Pod web-0 crashed",
        aggregationKey: "Crash",
        enrichments: [{ title: "Logs", annotations: {}, blocks: [file("previous.log", bigLog), file("current.log", "small log\n"), file("huge.log", bigLog + bigLog)] }],
      });

    it("attaches files oldest first while they fit, and says which were left out", async () => {
      const { fake, sink, logger } = await setUp("", undefined, { max_message_kb: 600 });
      await sink.write(withFiles());
      expect(fake.mail.raw.length).toBeLessThanOrEqual(600 * 1024);
      expect(fake.mail.mail.attachments.map((attachment) => attachment.filename)).toEqual(["previous.log", "current.log"]);
      const note = "📎 Not attached, too large for this mail (limit 600 KB): huge.log (800.0 KB).";
      expect(fake.mail.mail.text).toContain(note);
      expect(fake.mail.mail.html).toContain(note);
      expect(logger.entries.some((entry) => entry.message.includes("left out what did not fit max_message_kb"))).toBe(true);
    });

    it("drops newer files first when two cannot both fit", async () => {
      const { fake, sink } = await setUp("", undefined, { max_message_kb: 256 });
      const finding = createFinding({
        title: "Two logs",
        aggregationKey: "X",
        enrichments: [{ annotations: {}, blocks: [file("old.log", "o".repeat(120 * 1024)), file("new.log", "n".repeat(120 * 1024))] }],
      });
      await sink.write(finding);
      expect(fake.mail.raw.length).toBeLessThanOrEqual(256 * 1024);
      expect(fake.mail.mail.attachments.map((attachment) => attachment.filename)).toEqual(["old.log"]);
      expect(fake.mail.mail.text).toContain("Not attached, too large for this mail (limit 256 KB): new.log (120.0 KB).");
    });

    it("leaves out enrichments that do not fit, keeping the others in order", async () => {
      const { fake, sink } = await setUp("", undefined, { max_message_kb: 256 });
      const rows = Array.from({ length: 4000 }, (_, i) => [`pod-${i}`, "Running", i]);
      const finding = createFinding({
        title: "Many pods",
        aggregationKey: "X",
        enrichments: [
          { title: "Before", annotations: {}, blocks: [table([["a", 1]])] },
          { title: "Pods", annotations: {}, blocks: [table(rows, { headers: ["pod", "phase", "n"] })] },
          { title: "After", annotations: {}, blocks: [table([["b", 2]])] },
        ],
      });
      await sink.write(finding);
      expect(fake.mail.raw.length).toBeLessThanOrEqual(256 * 1024);
      const { html, text } = fake.mail.mail;
      expect(html).toContain("Before");
      expect(html).toContain("After");
      expect(html).not.toContain("pod-0");
      expect(text).toContain("✂️ 1 more section did not fit in this mail (limit 256 KB).");
    });

    it("keeps the mail within the server's SIZE when max_message_kb says so", async () => {
      const { fake, sink } = await setUp("", { users: { robusta: PASSWORD }, size: 300 * 1024 }, { max_message_kb: 300 });
      await sink.write(withFiles());
      expect(fake.mail.mail.attachments.map((attachment) => attachment.filename)).toEqual(["current.log"]);
    });
  });
});
