import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFinding } from "@robusta-ts/sdk";
import type { DeliveryError } from "../../src/delivery/delivery-error.js";
import type { InjectedFailure } from "../../../test/fakes/slack/fake-slack.js";
import { failureOf } from "../sinks-common/support.js";
import { startHarness, type Harness } from "./slack-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const finding = () => createFinding({ title: "Node not ready", aggregationKey: "NodeNotReady" });

async function failure(inject?: InjectedFailure, params: Record<string, unknown> = {}): Promise<DeliveryError> {
  if (inject) h.fake.failNext("chat.postMessage", inject);
  return failureOf(h.sink(params).write(finding()));
}

describe("slack_sink: what a failure means for delivery", () => {
  it.each([
    ["HTTP 429 with Retry-After", { status: 429, retryAfterSeconds: 7 }, { status: 429, retryAfterMs: 7000 }],
    ["ratelimited in a 200 answer", { error: "ratelimited" }, {}],
    ["HTTP 503", { status: 503 }, { status: 503 }],
    ["HTTP 500", { status: 500 }, { status: 500 }],
    ["a dropped connection", { drop: true }, {}],
    ["internal_error", { error: "internal_error" }, {}],
    ["service_unavailable", { error: "service_unavailable" }, {}],
  ] as const)("retries %s", async (_, inject, expected) => {
    const error = await failure(inject);
    expect(error).toMatchObject({ retryable: true, ...expected });
  });

  it("retries through a Slack-wide rate limit, waiting as long as Slack says", async () => {
    h.fake.rateLimitFor(30_000);
    const error = await failure();
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 30_000 });
  });

  it.each([
    ["not_in_channel", { error: "not_in_channel" }],
    ["msg_too_long", { error: "msg_too_long" }],
    ["account_inactive", { error: "account_inactive" }],
    ["HTTP 400", { status: 400 }],
  ] as const)("gives up at once on %s, saying so", async (code, inject) => {
    const error = await failure(inject);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(code.startsWith("HTTP") ? "HTTP 400" : code);
  });

  it("gives up on a wrong token (invalid_auth)", async () => {
    const error = await failure(undefined, { api_key: "xoxb-wrong" });
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("Slack chat.postMessage failed: invalid_auth");
  });

  it("gives up on an unknown channel (channel_not_found)", async () => {
    const error = await failure(undefined, { slack_channel: "no-such-channel" });
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("channel_not_found");
  });

  it("gives up on invalid_blocks, with Slack's explanation in the error", async () => {
    const error = await failure({ error: "invalid_blocks", errors: ["must be less than 3001 characters [json-pointer:/blocks/2/text/text]"] });
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("Slack chat.postMessage failed: invalid_blocks (must be less than 3001 characters [json-pointer:/blocks/2/text/text])");
  });

  it("retries a failed edit of a summary too", async () => {
    const sink = h.sink();
    const ref = await sink.threads.postSummary("alerts", { groupedBy: [], columns: [], rows: [], firing: 1, resolved: 0, since: "2026-01-01T00:00:00Z" });
    h.fake.failNext("chat.update", { status: 502 });
    await expect(sink.threads.updateSummary(ref, { groupedBy: [], columns: [], rows: [], firing: 2, resolved: 0, since: "2026-01-01T00:00:00Z" })).rejects.toMatchObject({
      retryable: true,
      status: 502,
    });
  });
});
