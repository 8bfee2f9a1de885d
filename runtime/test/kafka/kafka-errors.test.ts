import { describe, expect, it } from "vitest";
import { kafkaDeliveryError } from "../../src/sinks/kafka/kafka-errors.js";

/** An error shaped like the client's: a network error caused by the system's. */
function networkError(cause: Error): Error {
  return Object.assign(new Error("Connection to kafka-0:9093 failed.", { cause }), { code: "PLT_KFK_NETWORK" });
}

describe("Kafka failures", () => {
  it("gives up at once on a broker certificate that is not trusted, saying what to check", () => {
    const cause = Object.assign(new Error("self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" });
    const error = kafkaDeliveryError("Kafka topic t at kafka-0:9093", networkError(cause));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      "Kafka topic t at kafka-0:9093: TLS_CERTIFICATE: SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain (check ssl_cafile and the broker's certificate)",
    );
  });

  it("retries a refused connection", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9093"), { code: "ECONNREFUSED" });
    const error = kafkaDeliveryError("Kafka topic t at kafka-0:9093", networkError(cause));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("NETWORK_ERROR");
  });
});
