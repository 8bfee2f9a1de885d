import { describe, expect, it } from "vitest";
import { envVarName, isSecretParam, referencedVariable } from "../../src/gen-config/secrets.js";
import { requiredParams, SINK_TYPE_NAMES, sinkParam, sinkParamKeys, sinkTypeOf } from "../../src/gen-config/sink-catalog.js";

const secretKeys = (type: string) => {
  const t = sinkTypeOf(type)!;
  return sinkParamKeys(t).filter((key) => sinkParam(t, key)!.secret);
};

describe("secret detection", () => {
  it("finds every sink's credentials, from names and descriptions", () => {
    expect(secretKeys("slack")).toEqual(["api_key", "app_token", "signing_secret"]);
    expect(secretKeys("ms_teams")).toEqual(["webhook_url", "client_secret", "password"]);
    expect(secretKeys("discord")).toEqual(["url"]); // the webhook URL carries its token
    expect(secretKeys("google_chat")).toEqual(["webhook_url"]);
    expect(secretKeys("mail")).toContain("mailto"); // user:password@host
    expect(secretKeys("webhook")).toEqual(["authorization"]);
    expect(secretKeys("jira")).toEqual(["api_key"]); // not url, whose description mentions API tokens
    expect(secretKeys("mattermost")).toEqual(["token"]);
    expect(secretKeys("kafka")).toEqual([]);
  });

  it("judges unknown parameters by name and description", () => {
    expect(isSecretParam("bot_token", "")).toBe(true);
    expect(isSecretParam("routing_key", "")).toBe(true);
    expect(isSecretParam("endpoint", "The URL; it holds the integration's token.")).toBe(true);
    expect(isSecretParam("endpoint", "Where to send. Never logged.")).toBe(true);
    expect(isSecretParam("channel", "The channel findings go to.")).toBe(false);
    expect(isSecretParam("api_url", "The API's base URL.")).toBe(false);
  });

  it("asks every sink's required parameters; secrets among them are never asked as values", () => {
    for (const type of SINK_TYPE_NAMES) for (const param of requiredParams(type)) expect(sinkParamKeys(type)).toContain(param.key);
    expect(requiredParams("slack_sink").map((p) => [p.key, p.secret])).toEqual([
      ["api_key", true],
      ["slack_channel", false],
    ]);
    expect(requiredParams("ms_teams_sink").map((p) => p.key)).toEqual(["webhook_url"]);
  });

  it("names env variables after the sink and the parameter, uniquely", () => {
    expect(envVarName("main_slack_sink", "api_key", new Set())).toBe("MAIN_SLACK_API_KEY");
    expect(envVarName("on-call", "api_key", new Set())).toBe("ON_CALL_API_KEY");
    expect(envVarName("9s", "token", new Set())).toBe("SINK_9S_TOKEN");
    expect(envVarName("a.b", "key", new Set(["A_B_KEY"]))).toBe("A_B_KEY_2");
    expect(referencedVariable("{{ env.SLACK_TOKEN }}")).toBe("SLACK_TOKEN");
    expect(referencedVariable("xoxb-{{ env.X }}")).toBeUndefined();
  });
});
