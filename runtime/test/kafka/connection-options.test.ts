import { describe, expect, it } from "vitest";
import { AuthFileError, securityOptions } from "../../src/sinks/kafka/connection-options.js";
import { kafkaAuthParams } from "../../src/sinks/kafka/params.js";

const files: Record<string, string> = { "/ca.pem": "CA", "/client.pem": "CERT", "/client.key": "KEY" };
const readFile = (path: string): Buffer => {
  if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  return Buffer.from(files[path]!);
};
const optionsFor = (auth: Record<string, unknown>) => securityOptions(kafkaAuthParams.parse(auth), readFile);

describe("kafka security options", () => {
  it("uses neither SASL nor TLS for PLAINTEXT", () => {
    expect(optionsFor({})).toEqual({});
  });

  it("maps SASL_PLAINTEXT to SASL, PLAIN unless another mechanism is named", () => {
    expect(optionsFor({ security_protocol: "SASL_PLAINTEXT", sasl_plain_username: "u", sasl_plain_password: "p" })).toEqual({ sasl: { mechanism: "PLAIN", username: "u", password: "p" } });
    expect(optionsFor({ security_protocol: "SASL_PLAINTEXT", sasl_mechanism: "SCRAM-SHA-256", sasl_plain_username: "u", sasl_plain_password: "p" }).sasl?.mechanism).toBe("SCRAM-SHA-256");
  });

  it("maps SSL to TLS with the system's CAs when no file is named", () => {
    expect(optionsFor({ security_protocol: "SSL" })).toEqual({ tls: {}, tlsServerName: true });
  });

  it("maps SASL_SSL to both, reading the CA, client certificate and key", () => {
    const options = optionsFor({
      security_protocol: "SASL_SSL",
      sasl_mechanism: "SCRAM-SHA-512",
      sasl_plain_username: "u",
      sasl_plain_password: "p",
      ssl_cafile: "/ca.pem",
      ssl_certfile: "/client.pem",
      ssl_keyfile: "/client.key",
      ssl_password: "pass",
    });
    expect(options.sasl).toEqual({ mechanism: "SCRAM-SHA-512", username: "u", password: "p" });
    expect(options.tls).toEqual({ ca: Buffer.from("CA"), cert: Buffer.from("CERT"), key: Buffer.from("KEY"), passphrase: "pass" });
  });

  it("skips only the host name check with ssl_check_hostname: false", () => {
    const tls = optionsFor({ security_protocol: "SSL", ssl_check_hostname: false }).tls!;
    expect(tls.checkServerIdentity?.("kafka-0", {} as never)).toBeUndefined();
    expect(tls.rejectUnauthorized).toBeUndefined();
  });

  it("says which file could not be read", () => {
    expect(() => optionsFor({ security_protocol: "SSL", ssl_cafile: "/missing.pem" })).toThrow(new AuthFileError("cannot read ssl_cafile /missing.pem: ENOENT"));
  });
});
