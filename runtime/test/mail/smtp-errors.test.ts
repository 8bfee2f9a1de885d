import { describe, expect, it } from "vitest";
import { redact, smtpDeliveryError } from "../../src/sinks/mail/smtp-errors.js";

const PASSWORD = "p@ss word";
const SECRETS = [PASSWORD, `\0robusta\0${PASSWORD}`];
const plainToken = Buffer.from(`\0robusta\0${PASSWORD}`).toString("base64");

describe("SMTP errors", () => {
  it("never carry the password, as sent or as AUTH encodes it", () => {
    const echoed = `535 5.7.8 bad token ${plainToken} / ${Buffer.from(PASSWORD).toString("base64")} / ${encodeURIComponent(PASSWORD)} / ${PASSWORD}`;
    expect(redact(echoed, SECRETS)).toBe("535 5.7.8 bad token *** / *** / *** / ***");
    const error = smtpDeliveryError(Object.assign(new Error("Invalid login"), { responseCode: 535, response: echoed, command: "AUTH PLAIN" }), "smtp.example.com:587", SECRETS);
    expect(error).toMatchObject({ retryable: false, message: "SMTP server smtp.example.com:587 answered 535 5.7.8 bad token *** / *** / *** / *** (to AUTH PLAIN)" });
  });

  it("retry 4xx and 503, not other 5xx; without a reply, only what the configuration cannot fix", () => {
    const reply = (responseCode: number) => smtpDeliveryError(Object.assign(new Error("x"), { responseCode, response: `${responseCode} x` }), "s:25", []);
    expect([421, 450, 503, 550, 554].map((code) => reply(code).retryable)).toEqual([true, true, true, false, false]);
    const coded = (code: string) => smtpDeliveryError(Object.assign(new Error("x"), { code }), "s:25", []).retryable;
    expect(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS"].map(coded)).toEqual([true, true, true, true]);
    expect(["EAUTH", "ENOAUTH", "EENVELOPE", "ECONFIG"].map(coded)).toEqual([false, false, false, false]);
  });
});
