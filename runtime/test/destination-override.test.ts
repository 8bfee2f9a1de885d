import { createFinding } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { overrideTemplateProblem, resolveOverride } from "../src/sinks/common/destination-override.js";

const finding = createFinding({
  title: "t",
  aggregationKey: "k",
  subject: {
    name: "api",
    labels: { env: "prod", "app.kubernetes.io/team": "payments" },
    annotations: { "kubernetes.io/service-name": "checkout", channel: "#oncall" },
  },
});

describe("destination templates (channel_override, webhook_override)", () => {
  it.each([
    ["cluster_name", "prod-eu"],
    ["labels.env", "prod"],
    ["annotations.channel", "#oncall"],
    ["$cluster_name-alerts", "prod-eu-alerts"],
    ["${cluster_name}-alerts-$labels.env", "prod-eu-alerts-prod"],
    ["alerts-${annotations.kubernetes.io/service-name}", "alerts-checkout"],
    ["team-${labels.app.kubernetes.io/team}", "team-payments"],
    ["annotations.kubernetes.io/service-name", "checkout"],
    ["labels.app.kubernetes.io/team", "payments"],
  ])("%s resolves to %s", (template, expected) => {
    expect(resolveOverride(template, "#default", finding, "prod-eu")).toBe(expected);
  });

  it("falls back to the default destination when a named label or annotation is missing", () => {
    expect(resolveOverride("labels.region", "#default", finding, "c")).toBe("#default");
    expect(resolveOverride("$cluster_name-${annotations.owner}", "#default", finding, "c")).toBe("#default");
  });

  it("uses the default destination without a template", () => {
    expect(resolveOverride(undefined, "#default", finding, "c")).toBe("#default");
  });

  it("refuses templates that name nothing it can resolve", () => {
    expect(overrideTemplateProblem("#static-channel")).toMatch(/must be 'cluster_name'/);
    expect(overrideTemplateProblem("labels.team")).toBeUndefined();
    expect(overrideTemplateProblem("alerts-$labels.team")).toBeUndefined();
  });
});
