/** The `kafka_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { KafkaSink } from "./kafka-sink.js";
import { kafkaSinkParams, type KafkaSinkParams } from "./params.js";

export { kafkaSinkParams, kafkaAuthParams, bootstrapBrokers, DEFAULT_MAX_MESSAGE_BYTES, type KafkaSinkParams, type KafkaAuth } from "./params.js";
export { renderKafkaMessages, diffPayload, jsonPayload, type KafkaMessages, type DiffPayload } from "./render-messages.js";
export { KafkaSink, type KafkaSinkOptions, type KafkaTarget } from "./kafka-sink.js";

export const kafkaSinkType = {
  description: "Sends each diff and JSON block of a finding to a Kafka topic as a JSON message (Robusta's shape), keyed by the finding's fingerprint.",
  params: kafkaSinkParams,
  create: (params: KafkaSinkParams, env: SinkBuildEnv): Sink => new KafkaSink(sinkBaseOf(params), params, { clusterName: env.clusterName, logger: env.logger }),
};
