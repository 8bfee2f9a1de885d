import { describe, expect, it } from "vitest";
import { apiBaseUrl, datadogSinkParams } from "../../src/sinks/datadog/params.js";
import { sinksConfigSchema } from "../../src/sinks/sinks-config.js";

const issues = (entry: Record<string, unknown>) => {
  const parsed = sinksConfigSchema.safeParse([{ datadog_sink: { name: "dd", ...entry } }]);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("datadog_sink parameters", () => {
  it("takes Robusta's api_key, and the US1 site by default", () => {
    expect(datadogSinkParams.parse({ name: "dd", api_key: "k" })).toMatchObject({ api_key: "k", site: "datadoghq.com" });
    expect(issues({})).toEqual(["0.datadog_sink.api_key: required (string)"]);
    expect(issues({ api_key: "k", app_key: "x" })).toEqual(['0.datadog_sink: Unrecognized key: "app_key"']);
  });

  it("calls the API of the configured site", () => {
    expect(apiBaseUrl("datadoghq.com")).toBe("https://api.datadoghq.com");
    expect(apiBaseUrl("datadoghq.eu")).toBe("https://api.datadoghq.eu");
    expect(apiBaseUrl("app.datadoghq.eu")).toBe("https://api.datadoghq.eu");
    expect(apiBaseUrl("us3.datadoghq.com")).toBe("https://api.us3.datadoghq.com");
    expect(apiBaseUrl("us5.datadoghq.com")).toBe("https://api.us5.datadoghq.com");
    expect(apiBaseUrl("ap1.datadoghq.com")).toBe("https://api.ap1.datadoghq.com");
    expect(apiBaseUrl("ddog-gov.com")).toBe("https://api.ddog-gov.com");
    expect(apiBaseUrl("https://dd-proxy.internal:8443/")).toBe("https://dd-proxy.internal:8443");
    expect(issues({ api_key: "k", site: "EU" })).toEqual([
      "0.datadog_sink.site: must be a Datadog site (datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ddog-gov.com) or an https:// URL",
    ]);
  });
});
