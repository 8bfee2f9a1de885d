/**
 * A Kafka broker for tests, speaking the real wire protocol on 127.0.0.1 and a free port: a single
 * node that leads every partition, with the APIs and versions in protocol.ts. It decodes what is
 * produced (RecordBatch v2, CRC-32C verified) and keeps it per topic and partition so tests read
 * back what a consumer would get, enforces max.message.bytes, optionally requires SASL/PLAIN, and
 * can be told to fail the next produce requests. A real broker cannot run here (no JVM, no Docker).
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { BrokerState, type ProduceFailure, type StoredRecord } from "./broker-state.js";
import { FrameSplitter, readRequestHeader, responseFrame } from "./framing.js";
import { apiVersions } from "./handlers/api-versions.js";
import { metadata } from "./handlers/metadata.js";
import { produce } from "./handlers/produce.js";
import { saslAuthenticate, saslHandshake, type SaslSession } from "./handlers/sasl.js";
import { ApiKey, supportOf } from "./protocol.js";
import { WireReader } from "./wire.js";

export type { ProduceFailure, StoredRecord } from "./broker-state.js";
export { ErrorCode } from "./protocol.js";

export interface FakeKafkaBrokerOptions {
  /** Topics that exist from the start, with their partition counts. Default: none. */
  readonly topics?: Readonly<Record<string, number>>;
  /** auto.create.topics.enable. Default false. */
  readonly autoCreateTopics?: boolean;
  /** Partitions of an auto-created topic. Default 1. */
  readonly defaultPartitions?: number;
  /** max.message.bytes. Default 1048588, Kafka's. */
  readonly maxMessageBytes?: number;
  /** SASL/PLAIN users and passwords: the listener is SASL_PLAINTEXT. Default: PLAINTEXT. */
  readonly users?: Readonly<Record<string, string>>;
}

/** A request the broker received, by API name and version. */
export interface ReceivedRequest {
  readonly api: string;
  readonly version: number;
  readonly clientId: string | null;
}

const API_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(ApiKey).map(([name, key]) => [key, name]));
const SASL_APIS: readonly number[] = [ApiKey.API_VERSIONS, ApiKey.SASL_HANDSHAKE, ApiKey.SASL_AUTHENTICATE];

export class FakeKafkaBroker {
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly state: BrokerState,
    readonly host: string,
    readonly port: number,
  ) {}

  /** Starts a broker on 127.0.0.1 and a free port. */
  static async start(options: FakeKafkaBrokerOptions = {}): Promise<FakeKafkaBroker> {
    const state = new BrokerState({
      topics: options.topics ?? {},
      autoCreateTopics: options.autoCreateTopics ?? false,
      defaultPartitions: options.defaultPartitions ?? 1,
      maxMessageBytes: options.maxMessageBytes ?? 1_048_588,
      ...(options.users !== undefined && { users: options.users }),
    });
    let broker: FakeKafkaBroker | undefined;
    const server = createServer((socket) => broker!.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    broker = new FakeKafkaBroker(server, state, "127.0.0.1", (server.address() as AddressInfo).port);
    return broker;
  }

  /** host:port, as a bootstrap server. */
  get url(): string {
    return `${this.host}:${this.port}`;
  }

  /** The records of `topic` (all topics when none), in the order they were appended. */
  records(topic?: string): StoredRecord[] {
    return this.state.appended.filter((record) => topic === undefined || record.topic === topic);
  }

  /** Whether `topic` exists (it may have been auto-created). */
  hasTopic(topic: string): boolean {
    return this.state.topics.has(topic);
  }

  /** The broker's max.message.bytes, changeable between requests. */
  get maxMessageBytes(): number {
    return this.state.maxMessageBytes;
  }
  set maxMessageBytes(bytes: number) {
    this.state.maxMessageBytes = bytes;
  }

  /** Answers the next `count` produce requests with `failure` (after those already queued). */
  failNext(count: number, failure: ProduceFailure): void {
    for (let i = 0; i < count; i++) this.state.produceFailures.push(failure);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const frames = new FrameSplitter();
    const session: SaslSession = { authenticated: this.state.settings.users === undefined };
    socket.on("data", (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) {
        if (socket.destroyed) return;
        this.handle(socket, session, frame);
      }
    });
  }

  /** Answers one request, or closes the connection where a broker would. */
  private handle(socket: Socket, session: SaslSession, frame: Buffer): void {
    const reader = new WireReader(frame);
    const request = readRequestHeader(reader);
    const support = supportOf(request.apiKey);
    this.requests.push({ api: API_NAMES[request.apiKey] ?? String(request.apiKey), version: request.apiVersion, clientId: request.clientId });
    const known = support !== undefined && request.apiVersion >= support.minVersion && request.apiVersion <= support.maxVersion;
    // Unknown APIs and versions close the connection, as does anything but SASL before authentication.
    if ((!known && request.apiKey !== ApiKey.API_VERSIONS) || (!session.authenticated && !SASL_APIS.includes(request.apiKey))) {
      socket.destroy();
      return;
    }
    const answer = (body: Buffer, close = false): void => {
      socket.write(responseFrame(request, body));
      if (close) socket.end();
    };
    const users = this.state.settings.users;
    switch (request.apiKey) {
      case ApiKey.API_VERSIONS:
        return answer(apiVersions(request));
      case ApiKey.SASL_HANDSHAKE: {
        const { body, close } = saslHandshake(session, reader, users);
        return answer(body, close);
      }
      case ApiKey.SASL_AUTHENTICATE: {
        const { body, close } = saslAuthenticate(session, reader, users);
        return answer(body, close);
      }
      case ApiKey.METADATA:
        return answer(metadata(this.state, reader, { host: this.host, port: this.port }));
      case ApiKey.PRODUCE: {
        const outcome = produce(this.state, reader);
        if ("disconnect" in outcome) socket.destroy();
        else if (outcome.body) answer(outcome.body);
        return;
      }
    }
  }
}
