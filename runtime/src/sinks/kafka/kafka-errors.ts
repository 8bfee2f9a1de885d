/**
 * @platformatic/kafka's failures as DeliveryErrors. Its errors nest (MultipleErrors of
 * ResponseErrors of ProtocolErrors, NetworkErrors caused by AuthenticationErrors ...), so the whole
 * tree is read: the broker's error name (MESSAGE_TOO_LARGE, SASL_AUTHENTICATION_FAILED ...) and
 * message are put in words, and the failure is permanent when anything in it says retrying cannot
 * help (an error Kafka marks not retriable, failed authentication, an unknown topic, a refused
 * setting), retryable otherwise (network errors, timeouts, leader changes, too few replicas).
 */
import { DeliveryError } from "../../delivery/delivery-error.js";

/** The parts of the client's errors read here (GenericError, MultipleErrors, ProtocolError). */
interface ClientError extends Error {
  readonly code?: string;
  /** ProtocolError: the broker's error name, e.g. "NOT_LEADER_OR_FOLLOWER". */
  readonly apiId?: string;
  /** ProtocolError: the broker's own message, when it sent one. */
  readonly serverErrorMessage?: string | null;
  /** Kafka's (and the client's) verdict on whether the same request may succeed later. */
  readonly canRetry?: boolean;
  readonly errors?: readonly unknown[];
}

// The client turns a topic the broker does not have (and does not create) into this UserError.
const UNKNOWN_TOPIC = /^Unknown topic (.+)\.$/;
const PERMANENT_CODES = new Set(["PLT_KFK_AUTHENTICATION", "PLT_KFK_USER", "PLT_KFK_UNSUPPORTED", "PLT_KFK_UNSUPPORTED_API", "PLT_KFK_UNSUPPORTED_COMPRESSION"]);
// Node's codes for a broker certificate that is not trusted or not for this host: retrying cannot fix it.
const TLS_CERTIFICATE_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

/** Every error in the tree under `error` (itself, causes, aggregated errors), depth first. */
function* errorTree(error: unknown, depth = 0): Generator<ClientError> {
  if (!(error instanceof Error) || depth > 8) return;
  yield error as ClientError;
  const { errors } = error as ClientError;
  if (Array.isArray(errors)) for (const inner of errors) yield* errorTree(inner, depth + 1);
  yield* errorTree(error.cause, depth + 1);
}

/** The broker's (or the client's) name for a failure, and what it says. */
export interface KafkaFailure {
  readonly name: string;
  readonly detail: string;
  readonly retryable: boolean;
}

/** Reads a failure of the client. */
export function kafkaFailure(error: unknown): KafkaFailure {
  const tree = [...errorTree(error)];
  const protocol = tree.find((e) => e.apiId !== undefined);
  const unknownTopic = tree.map((e) => UNKNOWN_TOPIC.exec(e.message)).find((match) => match !== null);
  const certificate = tree.find((e) => e.code !== undefined && TLS_CERTIFICATE_CODES.has(e.code));
  const permanent = tree.some(
    (e) => (e.apiId !== undefined && e.canRetry === false) || e.apiId === "UNKNOWN_TOPIC_OR_PARTITION" || (e.code !== undefined && PERMANENT_CODES.has(e.code)),
  );
  const retryable = !permanent && unknownTopic === undefined && certificate === undefined;
  if (certificate) {
    return { name: "TLS_CERTIFICATE", detail: `${certificate.code}: ${certificate.message} (check ssl_cafile and the broker's certificate)`, retryable };
  }
  if (protocol) return { name: protocol.apiId!, detail: protocol.serverErrorMessage || protocol.message, retryable };
  if (unknownTopic) {
    return { name: "UNKNOWN_TOPIC_OR_PARTITION", detail: `topic ${unknownTopic[1]} does not exist and the broker does not create topics (auto.create.topics.enable)`, retryable };
  }
  const timeout = tree.find((e) => e.name === "TimeoutError");
  if (timeout) return { name: "TIMEOUT", detail: timeout.message, retryable };
  return { name: nameOf(tree), detail: detailOf(tree), retryable };
}

/** A DeliveryError for a failed send to `service` ("Kafka topic robusta at kafka-0:9092"). */
export function kafkaDeliveryError(service: string, error: unknown, hint?: (failure: KafkaFailure) => string | undefined): DeliveryError {
  const failure = kafkaFailure(error);
  const extra = hint?.(failure);
  return new DeliveryError(`${service}: ${failure.name}: ${failure.detail}${extra ? ` (${extra})` : ""}`, { retryable: failure.retryable, cause: error });
}

function nameOf(tree: readonly ClientError[]): string {
  if (tree.some((e) => e.code === "PLT_KFK_AUTHENTICATION")) return "AUTHENTICATION_FAILED";
  if (tree.some((e) => e.code === "PLT_KFK_NETWORK")) return "NETWORK_ERROR";
  return tree[0]?.code ?? "ERROR";
}

/**
 * The most telling message: the client's own about the connection ("Connection to host:port
 * failed."), with the system's reason under it (ECONNREFUSED, a TLS error), else the first one.
 */
function detailOf(tree: readonly ClientError[]): string {
  const connection = tree.find((e) => e.message.startsWith("Connection to ")) ?? tree.find((e) => e.code === "PLT_KFK_USER") ?? tree[0];
  const system = tree.find((e) => e.code === undefined || !e.code.startsWith("PLT_KFK_"));
  const message = connection?.message ?? "unknown failure";
  return system && system !== connection ? `${message} ${system.message}` : message;
}
