/**
 * `auth` (kafka-python's names) as @platformatic/kafka's connection options: SASL for
 * SASL_PLAINTEXT and SASL_SSL, TLS (with the CA, client certificate and key read from their files)
 * for SSL and SASL_SSL.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import type { SASLOptions } from "@platformatic/kafka";
import type { KafkaAuth } from "./params.js";

/** The security part of the client's options. */
export interface SecurityOptions {
  readonly sasl?: SASLOptions;
  readonly tls?: TlsOptions;
  /** With TLS: send each broker's host name as SNI (node's tls.connect sends none unless told; SNI-routed brokers, Confluent Cloud's among them, need it). */
  readonly tlsServerName?: boolean;
}

/** A file `auth` names could not be read: the setting, the path and why. */
export class AuthFileError extends Error {
  override readonly name = "AuthFileError";
}

/** The client's security options for `auth`; reads the TLS files named, throwing AuthFileError when one cannot be. */
export function securityOptions(auth: KafkaAuth, readFile: (path: string) => Buffer = readFileSync): SecurityOptions {
  const protocol = auth.security_protocol;
  const sasl: SASLOptions | undefined =
    protocol === "SASL_PLAINTEXT" || protocol === "SASL_SSL"
      ? { mechanism: auth.sasl_mechanism ?? "PLAIN", username: auth.sasl_plain_username ?? "", password: auth.sasl_plain_password ?? "" }
      : undefined;
  if (protocol !== "SSL" && protocol !== "SASL_SSL") return sasl ? { sasl } : {};

  const file = (key: "ssl_cafile" | "ssl_certfile" | "ssl_keyfile"): Buffer | undefined => {
    const path = auth[key];
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      throw new AuthFileError(`cannot read ${key} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
  };
  const ca = file("ssl_cafile");
  const cert = file("ssl_certfile");
  const key = file("ssl_keyfile");
  const tls: TlsOptions = {
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    ...(auth.ssl_password !== undefined && { passphrase: auth.ssl_password }),
    // kafka-python's ssl_check_hostname=False: the chain is still verified, the name is not.
    ...(auth.ssl_check_hostname === false && { checkServerIdentity: () => undefined }),
  };
  return { ...(sasl && { sasl }), tls, tlsServerName: true };
}
