/** The values gen-config writes are values the chart takes, and reach the runner's container. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadValues, manifestObjects } from "../../src/manifests/index.js";
import { runGenConfig, tempDir } from "./helpers.js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.remove());

describe("gen-config's values in the chart", () => {
  it("validate against the chart's values schema and put the Secret's variables in the runner's env", async () => {
    const output = tmp.file("generated_values.yaml");
    const run = await runGenConfig(["--cluster-name", "prod", "--image", "ghcr.io/acme/pb:1.0.0", "--sink", "slack", "--set", "slack.slack_channel=alerts", "--output", output]);
    expect(run.code).toBe(0);
    const values = await loadValues([output], []);
    const objects = manifestObjects(values, { name: "robusta", namespace: "robusta" }) as { kind: string; spec?: any }[];
    const deployment = objects.find((o) => o.kind === "Deployment")!;
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe("ghcr.io/acme/pb:1.0.0");
    expect(container.env).toContainEqual({ name: "MAIN_SLACK_API_KEY", valueFrom: { secretKeyRef: { name: "robusta-secrets", key: "MAIN_SLACK_API_KEY" } } });
  });

  it("with --env-from-secret, load the whole Secret", async () => {
    const output = tmp.file("generated_values.yaml");
    await runGenConfig(["--cluster-name", "prod", "--image", "acme/pb", "--sink", "opsgenie", "--env-from-secret", "--secret-name", "alerting", "--output", output]);
    const objects = manifestObjects(await loadValues([output], []), { name: "robusta", namespace: "robusta" }) as { kind: string; spec?: any }[];
    const container = objects.find((o) => o.kind === "Deployment")!.spec.template.spec.containers[0];
    expect(container.envFrom).toContainEqual({ secretRef: { name: "alerting" } });
  });
});
