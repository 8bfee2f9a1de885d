import { MemoryLogger } from "@robusta-ts/sdk/testing";
import { describe, expect, it } from "vitest";
import { MailSink } from "../../src/sinks/mail/index.js";
import { createSinks, sinksConfigSchema } from "../../src/sinks/sinks-config.js";

const PASSWORD = "hunter2-s3cret";
const MAILTO = `mailtos://robusta:${PASSWORD}@smtp.example.com?from=robusta@example.com&to=ops@example.com`;

/** The messages a mail_sink entry gets, as "path: message". */
function issues(entry: Record<string, unknown>): string[] {
  const result = sinksConfigSchema.safeParse([{ mail_sink: { name: "mail", ...entry } }]);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.slice(2).join(".")}: ${issue.message}`);
}

describe("mail_sink parameters", () => {
  it("takes Robusta's entry and builds a mail sink to the mailto's server", () => {
    const config = sinksConfigSchema.parse([{ mail_sink: { name: "mail", mailto: MAILTO } }]);
    expect(config[0]!.params).toMatchObject({ with_header: true, max_message_kb: 10_240, use_ses: false });
    const [sink] = createSinks(config, { clusterName: "prod", globalConfig: {}, logger: new MemoryLogger() });
    expect(sink).toBeInstanceOf(MailSink);
    expect((sink as MailSink).server).toBe("smtp.example.com:587");
  });

  it("says what is wrong with the mailto, without the password", () => {
    const messages = issues({ mailto: `mailtos://robusta:${PASSWORD}@smtp.example.com?to=nobody&mode=tls` });
    expect(messages).toEqual(["mailto: mode=tls: must be ssl, starttls or insecure", 'mailto: to: "nobody" is not an e-mail address']);
    expect(messages.join()).not.toContain(PASSWORD);
    expect(issues({})).toEqual(["mailto: required (string)"]);
  });

  it("refuses Amazon SES's API, saying how to reach SES over SMTP", () => {
    expect(issues({ mailto: MAILTO, use_ses: true, aws_region: "eu-west-1", from_email: "a@example.com", configuration_set: "alerts" })).toEqual([
      "use_ses: Amazon SES's API is not supported; send through SES's SMTP interface with mailto: " +
        "mailtos://<SES SMTP user>:<SES SMTP password>@email-smtp.<region>.amazonaws.com?from=<verified sender>&to=<recipients>",
      "aws_region: Amazon SES's API is not supported (mail goes over SMTP); the region is part of the SES SMTP host in mailto (email-smtp.<region>.amazonaws.com)",
      "from_email: Amazon SES's API is not supported (mail goes over SMTP); use from= in mailto",
      "configuration_set: Amazon SES's API is not supported (mail goes over SMTP); add +X-SES-CONFIGURATION-SET=<name> to mailto",
    ]);
    expect(issues({ mailto: MAILTO, use_ses: false })).toEqual([]);
  });

  it("checks max_message_kb and refuses unknown keys", () => {
    expect(issues({ mailto: MAILTO, max_message_kb: 100 })).toEqual(["max_message_kb: Too small: expected number to be >=256"]);
    expect(issues({ mailto: MAILTO, skip_ses_init: true })).toEqual([': Unrecognized key: "skip_ses_init"']);
  });
});
