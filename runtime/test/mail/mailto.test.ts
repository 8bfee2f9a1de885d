import { describe, expect, it } from "vitest";
import { parseAddress, parseMailto, type MailtoSettings } from "../../src/sinks/mail/mailto.js";

const PASSWORD = "pa$$:w/rd@1";
const ENCODED = encodeURIComponent(PASSWORD);

function settings(url: string): MailtoSettings {
  const result = parseMailto(url);
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.settings;
}

function problems(url: string): readonly string[] {
  const result = parseMailto(url);
  if (result.ok) throw new Error(`expected problems for ${url}`);
  return result.problems;
}

describe("mailto URL (Apprise's syntax)", () => {
  it("mailtos://user:password@host: STARTTLS on 587, signed in, from user@host, to the sender", () => {
    expect(settings(`mailtos://alerts:${ENCODED}@mail.example.com`)).toEqual({
      host: "mail.example.com",
      port: 587,
      mode: "starttls",
      verify: true,
      user: "alerts",
      password: PASSWORD,
      from: { address: "alerts@mail.example.com", name: "Robusta" },
      to: [{ address: "alerts@mail.example.com" }],
      cc: [],
      bcc: [],
      replyTo: [],
      headers: {},
    });
  });

  it("mailto:// is a plain connection on 25; mode= and port= change it", () => {
    expect(settings("mailto://relay.internal?from=robusta@example.com")).toMatchObject({ host: "relay.internal", port: 25, mode: "insecure" });
    expect(settings("mailtos://u:p@smtp.example.com?mode=ssl")).toMatchObject({ port: 465, mode: "ssl" });
    expect(settings("mailto://u:p@smtp.example.com?mode=STARTTLS")).toMatchObject({ port: 587, mode: "starttls" });
    expect(settings("mailtos://u:p@smtp.example.com:2525")).toMatchObject({ port: 2525, mode: "starttls" });
    expect(settings("mailtos://u:p@smtp.example.com?port=2587")).toMatchObject({ port: 2587 });
  });

  it("reads recipients from the path and to=, with names, separated by commas, semicolons (encoded) or spaces", () => {
    // A bare ";" separates parameters, as in Apprise.
    const url = "mailtos://u:p@example.com/first@example.com?to=Ops%20Team%20%3Cops@example.com%3E,b@example.com%3Bc@example.com%20d@example.com";
    expect(settings(url).to).toEqual([
      { address: "first@example.com" },
      { address: "ops@example.com", name: "Ops Team" },
      { address: "b@example.com" },
      { address: "c@example.com" },
      { address: "d@example.com" },
    ]);
    expect(parseAddress("On Call:oncall@example.com")).toEqual({ address: "oncall@example.com", name: "On Call" });
  });

  it("reads from=, name=, cc=, bcc=, reply=, smtp= and headers", () => {
    const url =
      "mailtos://apikey:secret@example.com?smtp=smtp.sendgrid.net&from=Robusta%20%3Cno-reply@example.com%3E&to=ops@example.com" +
      "&cc=lead@example.com&bcc=audit@example.com,archive@example.com&reply=help@example.com&+X-SES-CONFIGURATION-SET=alerts";
    expect(settings(url)).toMatchObject({
      host: "smtp.sendgrid.net",
      user: "apikey",
      from: { address: "no-reply@example.com", name: "Robusta" },
      to: [{ address: "ops@example.com" }],
      cc: [{ address: "lead@example.com" }],
      bcc: [{ address: "audit@example.com" }, { address: "archive@example.com" }],
      replyTo: [{ address: "help@example.com" }],
      headers: { "X-SES-CONFIGURATION-SET": "alerts" },
    });
    expect(settings("mailto://u:p@example.com?from=a@example.com&name=Cluster%20Bot").from).toEqual({ address: "a@example.com", name: "Cluster Bot" });
    expect(settings("mailto://u:p@example.com?name=Cluster%20Bot").from).toEqual({ address: "u@example.com", name: "Cluster Bot" });
    expect(settings("mailto://u:p@example.com?from=Cluster%20Bot").from).toEqual({ address: "u@example.com", name: "Cluster Bot" });
  });

  it("fills in well-known providers' servers and login form, as Apprise does", () => {
    expect(settings("mailto://me:app-password@gmail.com")).toMatchObject({
      host: "smtp.gmail.com",
      port: 587,
      mode: "starttls",
      user: "me@gmail.com",
      from: { address: "me@gmail.com" },
    });
    expect(settings("mailto://me:pw@yandex.ru")).toMatchObject({ host: "smtp.yandex.ru", port: 465, mode: "ssl", user: "me" });
    expect(settings("mailto://me:pw@outlook.com?mode=ssl")).toMatchObject({ host: "smtp.outlook.com", port: 465, mode: "ssl" });
    // An explicit server turns the guess off.
    expect(settings("mailto://me:pw@gmail.com?smtp=relay.example.com")).toMatchObject({ host: "relay.example.com", port: 25, user: "me" });
  });

  it("sends from the user when it is an address, else from user@host", () => {
    expect(settings("mailtos://me%40company.com:pw@smtp.office365.com").from.address).toBe("me@company.com");
    expect(settings("mailtos://me:pw@mail.company.com").from.address).toBe("me@mail.company.com");
  });

  it("takes user=, pass= and Apprise's password-as-user form", () => {
    expect(settings("mailtos://smtp.example.com?user=me@example.com&pass=pw")).toMatchObject({ user: "me@example.com", password: "pw" });
    expect(settings(`mailtos://${ENCODED}@smtp.example.com?user=me@example.com`)).toMatchObject({ user: "me@example.com", password: PASSWORD });
  });

  it("keeps an unencoded @ in the password with the password", () => {
    expect(settings("mailtos://me:p@ss@smtp.example.com?from=a@example.com")).toMatchObject({ host: "smtp.example.com", user: "me", password: "p@ss" });
  });

  it("reads verify=no, cto= and rto=; signs in only with both user and password", () => {
    expect(settings("mailtos://me@smtp.example.com?verify=no&cto=5&rto=2.5")).toMatchObject({ verify: false, connectTimeoutMs: 5000, readTimeoutMs: 2500 });
    expect(settings("mailtos://me@smtp.example.com")).not.toHaveProperty("user");
  });

  it("says what is wrong, every problem at once, and never the password", () => {
    const all = problems(`mailtos://me:${ENCODED}@smtp.example.com?mode=tls&port=99999&to=ops@,x&cc=nobody&verify=maybe&cto=0&format=html&pgp=yes&+Bad%20Name=1&+X-Inject=a%0D%0AB:c`);
    expect(all).toEqual([
      'unknown parameter "format" (known: to, from, name, cc, bcc, reply, smtp, mode, port, user, pass, password, verify, cto, rto, and +Header=value)',
      "pgp=: PGP encryption is not supported",
      "+Bad Name: is not a valid header name",
      "+X-Inject: the value must not contain line breaks",
      "mode=tls: must be ssl, starttls or insecure",
      "the port must be a number from 1 to 65535",
      'to: "ops@" is not an e-mail address',
      'to: "x" is not an e-mail address',
      'cc: "nobody" is not an e-mail address',
      "verify=maybe: must be yes or no",
      "cto= must be a number of seconds above 0",
    ]);
    expect(all.join(" ")).not.toContain("pa$$");
  });

  it("refuses what is not a mail URL, with a hint for Robusta's documented '&' form", () => {
    expect(problems("smtp://example.com")).toEqual(["must start with mailto:// or mailtos://"]);
    expect(problems("mailtos://user:password@server&from=a@x&to=b@y,c@z")).toEqual([
      "parameters start with '?': mailtos://user:password@server?from=a@x&to=b@y (not '&' right after the server)",
    ]);
    expect(problems("mailtos://?to=a@example.com")).toEqual([
      "no sender address: add from=alerts@example.com (or give user@host)",
      "no SMTP server: give one as the host (mailtos://user:password@smtp.example.com) or with smtp=",
    ]);
    expect(problems("mailto://u:p@smtp.example.com?from=nobody%40")).toEqual(["from=nobody@: is not an e-mail address"]);
    expect(problems("mailto://bad_host!?from=a@example.com")).toEqual(['"bad_host!" is not a host name', "no SMTP server: give one as the host (mailtos://user:password@smtp.example.com) or with smtp="]);
  });

  it("does not echo what may be part of a password written without URL-encoding", () => {
    const noSender = "no sender address: add from=alerts@example.com (or give user@host)";
    expect(problems("mailtos://me:pa/ss@smtp.example.com")).toEqual(["the port must be a number from 1 to 65535", noSender]);
    expect(problems("mailtos://me:pa?ss@smtp.example.com?from=a@example.com")).toEqual([
      "unknown parameter (not shown; URL-encode ?, / and @ in the password) (known: to, from, name, cc, bcc, reply, smtp, mode, port, user, pass, password, verify, cto, rto, and +Header=value)",
      "the port must be a number from 1 to 65535",
      noSender,
    ]);
  });

  it("reads an address URL-encoded as the host as a recipient", () => {
    expect(settings("mailtos://ops%40example.com?smtp=smtp.example.com&from=a@example.com")).toMatchObject({
      host: "smtp.example.com",
      to: [{ address: "ops@example.com" }],
    });
  });
});
