import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebhookReceiver } from "../../../test/fakes/webhook-receiver.js";
import { DeliveryError } from "../../src/delivery/delivery-error.js";
import { HttpClient, basicAuth } from "../../src/sinks/common/http.js";
import { failureOf } from "./support.js";

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const post = { method: "POST", body: "{}" };

describe("HttpClient", () => {
  it("returns a 2xx answer and its JSON", async () => {
    receiver = await WebhookReceiver.start();
    const client = new HttpClient();
    expect(await client.sendForJson({ service: "Svc", url: receiver.url, init: post })).toBeUndefined(); // "ok" is not JSON
    expect(receiver.requests).toHaveLength(1);
  });

  it("makes 429 retryable after Retry-After, and 400 permanent with the service's words", async () => {
    receiver = await WebhookReceiver.start();
    receiver.failNext(1, { status: 429, retryAfter: "7" });
    receiver.failNext(1, { status: 400, body: "bad field" });
    const client = new HttpClient();
    const limited = await failureOf(client.send({ service: "Svc", url: receiver.url, init: post }));
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7000, status: 429 });
    const bad = await failureOf(client.send({ service: "Svc", url: receiver.url, init: post }));
    expect(bad).toMatchObject({ retryable: false, status: 400 });
    expect(bad.message).toBe("Svc answered 400: bad field");
  });

  it("lets a service read its own error body", async () => {
    receiver = await WebhookReceiver.start();
    receiver.failNext(1, { status: 429, body: '{"retry_after": 1.5}' });
    const client = new HttpClient();
    const error = await failureOf(
      client.send({
        service: "Svc",
        url: receiver.url,
        init: post,
        errorOf: async (response) => {
          const body = (await response.json()) as { retry_after: number };
          return new DeliveryError("slow down", { retryable: true, retryAfterMs: body.retry_after * 1000 });
        },
      }),
    );
    expect(error).toMatchObject({ message: "slow down", retryAfterMs: 1500 });
  });

  it("reports an unreachable service as retryable, naming the service and not the URL", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failureOf(new HttpClient().send({ service: "Svc", url: `http://127.0.0.1:${port}/secret-token`, init: post }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^Svc could not be reached: .*ECONNREFUSED/);
    expect(error.message).not.toContain("secret-token");
  });

  it("gives up on a service that does not answer in time, retryably", async () => {
    let server: Server | undefined;
    try {
      server = createServer(() => undefined); // never answers
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      const error = await failureOf(new HttpClient({ timeoutMs: 50 }).send({ service: "Svc", url: `http://127.0.0.1:${port}`, init: post }));
      expect(error).toMatchObject({ retryable: true, message: "Svc did not answer within 0.05 s" });
      // One request may take longer (or shorter) than the client's default, e.g. an upload.
      const upload = await failureOf(new HttpClient().send({ service: "Svc", url: `http://127.0.0.1:${port}`, init: post, timeoutMs: 60 }));
      expect(upload.message).toBe("Svc did not answer within 0.06 s");
    } finally {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    }
  });

  it("passes the runner's stop reason through rather than a delivery failure", async () => {
    receiver = await WebhookReceiver.start();
    const stop = new AbortController();
    const reason = new Error("shutting down");
    stop.abort(reason);
    const caught = await new HttpClient().send({ service: "Svc", url: receiver.url, init: post, signal: stop.signal }).catch((error: unknown) => error);
    expect(caught).toBe(reason);
  });
});

describe("basicAuth", () => {
  it("encodes user and password", () => {
    expect(basicAuth("bot@example.com", "k:ey")).toBe(`Basic ${Buffer.from("bot@example.com:k:ey").toString("base64")}`);
  });
});
