/**
 * The fake's Socket Mode endpoint: apps.connections.open hands out a one-time ws:// URL to this
 * websocket server, which greets each connection with `hello` (what the client waits for) and
 * sends envelopes the client must acknowledge with their `envelope_id`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";

/** An acknowledgement the app sent for an envelope. */
export interface SocketAck {
  readonly envelopeId: string;
  readonly payload: unknown;
}

export class FakeSocketMode {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly waiting = new Map<string, (ack: SocketAck) => void>();
  /** Every acknowledgement received, in order. */
  readonly acks: SocketAck[] = [];
  /** Connections accepted (including closed ones). */
  connections = 0;

  constructor(http: Server) {
    http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  /** A fresh URL for apps.connections.open, valid for one connection. */
  ticketUrl(host: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `ws://${host}/link/?ticket=${ticket}`;
  }

  /** Whether an app is connected now. */
  get connected(): boolean {
    return [...this.sockets].some((socket) => socket.readyState === socket.OPEN);
  }

  /**
   * Sends an envelope of `type` (e.g. "interactive") to the newest connection and resolves with
   * the app's acknowledgement.
   */
  send(type: string, payload: unknown): Promise<SocketAck> {
    const socket = [...this.sockets].reverse().find((s) => s.readyState === s.OPEN);
    if (!socket) return Promise.reject(new Error("no Socket Mode connection"));
    const envelopeId = randomUUID();
    return new Promise((resolve) => {
      this.waiting.set(envelopeId, resolve);
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: false, retry_attempt: 0, retry_reason: "" }));
    });
  }

  /** Asks every connection to reconnect, as Slack does when it recycles a server. */
  disconnectAll(): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: "disconnect", reason: "refresh_requested" }));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://fake");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== "/link/" || !this.tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      this.connections += 1;
      this.sockets.add(ws);
      ws.on("close", () => this.sockets.delete(ws));
      ws.on("message", (data) => this.receive(String(data)));
      ws.send(JSON.stringify({ type: "hello", num_connections: this.sockets.size, debug_info: { host: "fake-slack" }, connection_info: { app_id: "A0FAKE" } }));
    });
  }

  private receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== "object" || message === null || !("envelope_id" in message) || typeof message.envelope_id !== "string") return;
    const ack: SocketAck = { envelopeId: message.envelope_id, payload: "payload" in message ? message.payload : undefined };
    this.acks.push(ack);
    this.waiting.get(ack.envelopeId)?.(ack);
    this.waiting.delete(ack.envelopeId);
  }
}
