/**
 * The Kafka APIs the fake broker speaks, at the versions @platformatic/kafka picks against a
 * current broker (it takes the highest version both sides know), and the error codes it answers
 * with (https://kafka.apache.org/protocol#protocol_error_codes).
 */

export const ApiKey = {
  PRODUCE: 0,
  METADATA: 3,
  SASL_HANDSHAKE: 17,
  API_VERSIONS: 18,
  SASL_AUTHENTICATE: 36,
} as const;

interface ApiSupport {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first version using the flexible encoding (compact types, tagged fields, header v2); none: never. */
  readonly flexibleFrom?: number;
}

/**
 * What the broker advertises in ApiVersions, and so all it accepts. ApiVersions v1 is what the
 * client sends before SASL, v3 otherwise; SaslHandshake v1 then SaslAuthenticate v2; Metadata
 * v12; Produce v9-v11, which share the request layout. No InitProducerId or FindCoordinator: the
 * sink's producer is neither idempotent nor transactional.
 */
export const SUPPORTED_APIS: readonly ApiSupport[] = [
  { apiKey: ApiKey.PRODUCE, minVersion: 9, maxVersion: 11, flexibleFrom: 9 },
  { apiKey: ApiKey.METADATA, minVersion: 12, maxVersion: 12, flexibleFrom: 9 },
  { apiKey: ApiKey.SASL_HANDSHAKE, minVersion: 1, maxVersion: 1 },
  { apiKey: ApiKey.API_VERSIONS, minVersion: 0, maxVersion: 3, flexibleFrom: 3 },
  { apiKey: ApiKey.SASL_AUTHENTICATE, minVersion: 2, maxVersion: 2, flexibleFrom: 2 },
];

export const supportOf = (apiKey: number): ApiSupport | undefined => SUPPORTED_APIS.find((api) => api.apiKey === apiKey);

/** Whether this API version uses the flexible encoding (request header v2). */
export function isFlexible(apiKey: number, apiVersion: number): boolean {
  const from = supportOf(apiKey)?.flexibleFrom;
  return from !== undefined && apiVersion >= from;
}

/** The error codes the fake answers with. */
export const ErrorCode = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  NOT_ENOUGH_REPLICAS: 19,
  TOPIC_AUTHORIZATION_FAILED: 29,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  SASL_AUTHENTICATION_FAILED: 58,
} as const;
