/**
 * nodemailer's SMTP failures as DeliveryErrors. A server reply decides by its class (RFC 5321):
 * 4xx (and 503, a session out of step) may pass later and are retried; other 5xx (550 mailbox
 * unavailable, 535 bad credentials, 552 too large) will not, and the mail is dropped. Without a
 * reply: connection failures and timeouts are retried; what only the configuration can fix
 * (credentials missing, no recipients, a TLS certificate not trusted, no TLS where mode=ssl expects
 * it) is not. Messages carry the server's reply, never the password (nor the error object, which
 * could hold more).
 */
import type { NodemailerError } from "nodemailer/lib/errors";
import { DeliveryError } from "../../delivery/delivery-error.js";

/** nodemailer codes for failures that no retry can fix. */
const CONFIG_CODES = new Set(["EAUTH", "ENOAUTH", "EENVELOPE", "ECONFIG", "EMAXRECIPIENTS", "EREQUIRETLS"]);
/** Node's TLS codes for a certificate the runner does not trust. */
const CERTIFICATE_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** Replaces each secret (and its URL-encoded and base64 forms, as AUTH sends it) with "***". */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = secrets
    .filter((secret) => secret !== "")
    .flatMap((secret) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64")])
    .sort((a, b) => b.length - a.length);
  return forms.reduce((result, form) => result.split(form).join("***"), text);
}

/** The DeliveryError for a failed send to `server` ("host:port"). */
export function smtpDeliveryError(error: unknown, server: string, secrets: readonly string[]): DeliveryError {
  const failure = (error ?? {}) as NodemailerError;
  const clean = (text: string) => redact(text, secrets).replace(/\s+/g, " ").trim().slice(0, 500);
  if (typeof failure.responseCode === "number" && failure.responseCode >= 400) {
    const permanent = failure.permanent ?? (failure.responseCode >= 500 && failure.responseCode !== 503);
    const at = failure.command === "CONN" ? "on connecting" : failure.command ? `to ${failure.command}` : "";
    const reply = clean(failure.response ?? `${failure.responseCode}`);
    return new DeliveryError(`SMTP server ${server} answered ${reply}${at ? ` (${at})` : ""}`, { retryable: !permanent });
  }
  const code = failure.originalCode ?? failure.code;
  const message = clean(failure instanceof Error ? failure.message : String(error));
  if (code !== undefined && CERTIFICATE_CODES.test(code)) {
    return new DeliveryError(`SMTP server ${server}: its TLS certificate is not trusted (${code}); add verify=no to mailto to skip the check`, {
      retryable: false,
    });
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER") {
    return new DeliveryError(`SMTP server ${server} does not start with TLS on this port; mode=ssl is for implicit TLS (465), use mode=starttls for 587`, {
      retryable: false,
    });
  }
  const retryable = !(failure.code !== undefined && CONFIG_CODES.has(failure.code));
  return new DeliveryError(`SMTP server ${server}: ${message}${code ? ` (${code})` : ""}`, { retryable });
}
