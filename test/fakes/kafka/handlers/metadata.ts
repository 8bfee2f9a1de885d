/**
 * Metadata v12 (key 3): the broker (this one, node 1, leader of every partition) and the topics
 * asked for. An unknown topic is UNKNOWN_TOPIC_OR_PARTITION unless the request allows auto-creation
 * and the broker does it (auto.create.topics.enable), in which case the topic is created and this
 * first answer is LEADER_NOT_AVAILABLE, as while a real broker elects the new partitions' leaders.
 */
import type { BrokerState, TopicState } from "../broker-state.js";
import { ErrorCode } from "../protocol.js";
import { WireWriter, type WireReader } from "../wire.js";

/** topic_authorized_operations when the client did not ask for them. */
const OPERATIONS_NOT_REQUESTED = -2147483648;

type TopicAnswer = { readonly errorCode: number; readonly name: string; readonly topic?: TopicState };

export function metadata(broker: BrokerState, body: WireReader, address: { host: string; port: number }): Buffer {
  const names = body.compactArray((r) => {
    r.uuid(); // topic_id: the client names topics
    const name = r.compactString();
    r.taggedFields();
    return name ?? "";
  });
  const allowAutoCreate = body.boolean();
  body.boolean(); // include_topic_authorized_operations
  body.taggedFields();

  const answers: TopicAnswer[] = (names ?? [...broker.topics.keys()]).map((name) => {
    const topic = broker.topics.get(name);
    if (topic) return { errorCode: ErrorCode.NONE, name, topic };
    if (allowAutoCreate && broker.settings.autoCreateTopics) {
      broker.createTopic(name);
      return { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, name };
    }
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name };
  });

  return new WireWriter()
    .int32(0) // throttle_time_ms
    .compactArray([broker.nodeId], (w, nodeId) => w.int32(nodeId).compactString(address.host).int32(address.port).compactString(null).taggedFields())
    .compactString(broker.clusterId)
    .int32(broker.nodeId) // controller_id
    .compactArray(answers, (w, answer) => {
      w.int16(answer.errorCode).compactString(answer.name).uuid(answer.topic?.id).boolean(false);
      const partitions = answer.topic?.partitions.map((_, index) => index) ?? [];
      w.compactArray(partitions, (p, index) =>
        p
          .int16(ErrorCode.NONE)
          .int32(index)
          .int32(broker.nodeId) // leader_id
          .int32(0) // leader_epoch
          .compactArray([broker.nodeId], (r, node) => r.int32(node)) // replica_nodes
          .compactArray([broker.nodeId], (r, node) => r.int32(node)) // isr_nodes
          .compactArray([], (r, node: number) => r.int32(node)) // offline_replicas
          .taggedFields(),
      );
      w.int32(OPERATIONS_NOT_REQUESTED).taggedFields();
    })
    .taggedFields()
    .toBuffer();
}
