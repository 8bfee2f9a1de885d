import { describe, expect, it } from "vitest";
import { serviceNowError } from "../../src/sinks/servicenow/servicenow-api.js";
import { instanceUrl, serviceNowSinkParams } from "../../src/sinks/servicenow/params.js";
import { sinksConfigSchema } from "../../src/sinks/sinks-config.js";

const issues = (entry: Record<string, unknown>) => {
  const parsed = sinksConfigSchema.safeParse([{ service_now_sink: { name: "snow", ...entry } }]);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("service_now_sink parameters", () => {
  it("takes Robusta's keys, with its defaults", () => {
    expect(serviceNowSinkParams.parse({ name: "snow", instance: "dev12345", username: "robusta", password: "pw" })).toMatchObject({
      instance: "dev12345",
      send_resolved: true,
      resolved_state: 6,
      close_code: "Solution provided",
    });
    expect(issues({ instance: "dev12345", username: "robusta", password: "pw", caller_id: "abel.tuter" })).toEqual([]);
  });

  it("says what is missing or unknown", () => {
    expect(issues({ instance: "dev12345" })).toEqual(["0.service_now_sink.username: required (string)", "0.service_now_sink.password: required (string)"]);
    expect(issues({ instance: "dev12345", username: "u", password: "p", api_key: "x" })).toEqual([
      '0.service_now_sink: Unrecognized key: "api_key"',
    ]);
  });

  it("takes an instance name, a host name or a URL", () => {
    expect(instanceUrl("dev12345")).toBe("https://dev12345.service-now.com");
    expect(instanceUrl("Acme-Prod")).toBe("https://acme-prod.service-now.com");
    expect(instanceUrl("itsm.example.com")).toBe("https://itsm.example.com");
    expect(instanceUrl("https://itsm.example.com/")).toBe("https://itsm.example.com");
    expect(instanceUrl("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(issues({ instance: "dev 123", username: "u", password: "p" })).toEqual([
      "0.service_now_sink.instance: must be an instance name (dev12345), a host name (itsm.example.com) or an https:// URL",
    ]);
  });
});

describe("ServiceNow errors", () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers });

  it("reads the wait from X-RateLimit-Reset (epoch seconds) when Retry-After is missing", async () => {
    const now = Date.UTC(2026, 0, 1);
    const error = await serviceNowError("ServiceNow x", answer(429, { error: { message: "Rate limit exceeded", detail: null }, status: "failure" }, { "x-ratelimit-reset": String(now / 1000 + 90) }), now);
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 90_000, message: "ServiceNow x answered 429: Rate limit exceeded" });
  });

  it("shows a body that is not ServiceNow's JSON as text", async () => {
    const error = await serviceNowError("ServiceNow x", answer(502, "<html>\n<body>Bad gateway</body></html>"), 0);
    expect(error).toMatchObject({ retryable: true, status: 502, message: "ServiceNow x answered 502: <html> <body>Bad gateway</body></html>" });
  });
});
