import { describe, expect, it } from "vitest";
import { CallbackSigner, MAX_BUTTON_VALUE_CHARS, signingKeyFor } from "../../src/sinks/slack/callbacks.js";

const signer = new CallbackSigner("key-1", "slack");

describe("signed callback values", () => {
  it("gives back the action and parameters a value was signed with", () => {
    const value = signer.valueFor({ text: "Restart", action: "restart_pod", params: { name: "web-0", namespace: "shop", replicas: 2 } })!;
    expect(signer.verify(value)).toEqual({ action: "restart_pod", params: { name: "web-0", namespace: "shop", replicas: 2 } });
    expect(signer.verify(signer.valueFor({ text: "Go", action: "noop" }))).toEqual({ action: "noop", params: {} });
  });

  it("refuses a value whose action or parameters were changed", () => {
    const value = JSON.parse(signer.sign({ action: "restart_pod", params: { name: "web-0" } })!) as Record<string, unknown>;
    expect(signer.verify(JSON.stringify({ ...value, params: { name: "db-0" } }))).toBeUndefined();
    expect(signer.verify(JSON.stringify({ ...value, action: "delete_pod" }))).toBeUndefined();
    expect(signer.verify(JSON.stringify({ ...value, sig: "AAAA" }))).toBeUndefined();
    expect(signer.verify("not json")).toBeUndefined();
    expect(signer.verify(undefined)).toBeUndefined();
  });

  it("refuses a value signed for another sink or with another key", () => {
    const value = signer.sign({ action: "restart_pod", params: {} })!;
    expect(new CallbackSigner("key-1", "other-sink").verify(value)).toBeUndefined();
    expect(new CallbackSigner("key-2", "slack").verify(value)).toBeUndefined();
  });

  it("leaves out a value longer than Slack's 2000 characters", () => {
    expect(signer.sign({ action: "annotate", params: { text: "x".repeat(MAX_BUTTON_VALUE_CHARS) } })).toBeUndefined();
  });

  it("signs with globalConfig.signing_key when set, else with a key derived from the bot token", () => {
    expect(signingKeyFor({ signing_key: "shared" }, "xoxb-1")).toBe("shared");
    const derived = signingKeyFor({}, "xoxb-1");
    expect(derived).not.toContain("xoxb-1");
    expect(derived).toBe(signingKeyFor({ signing_key: "" }, "xoxb-1"));
    expect(derived).not.toBe(signingKeyFor({}, "xoxb-2"));
  });
});
