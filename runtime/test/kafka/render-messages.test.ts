import { createFinding, diff, json, markdown, table, type Enrichment } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { renderKafkaMessages } from "../../src/sinks/kafka/render-messages.js";
import { singleRecordBatchBytes } from "../../src/sinks/kafka/record-size.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const LIMIT = 1_048_588;
const values = (finding = sampleFinding(), limit = LIMIT) => renderKafkaMessages(finding, "prod-eu", limit).messages.map((message) => JSON.parse(message.value) as unknown);

/** A finding about deployment demo/web with these enrichments. */
const deploymentFinding = (...enrichments: Enrichment[]) =>
  createFinding({
    title: "Deployment web changed",
    aggregationKey: "ConfigurationChange/KubernetesResource/Change",
    subject: { name: "web", namespace: "demo", subjectType: "deployment" },
    enrichments,
  });

describe("kafka messages", () => {
  it("sends the diff and JSON blocks only, one message each, in order, keyed by the fingerprint", async () => {
    const finding = sampleFinding();
    const { messages, leftOut, ignoredEnrichments } = renderKafkaMessages(finding, "prod-eu", LIMIT);
    expect(messages.map((message) => message.key)).toEqual([finding.fingerprint, finding.fingerprint]);
    expect(leftOut).toEqual([]);
    expect(ignoredEnrichments).toBe(2); // crash info tables, logs
    await expect(`${JSON.stringify(values(finding), null, 2)}\n`).toMatchFileSnapshot("__snapshots__/sample-messages.json");
  });

  it("shapes a diff as Robusta does: the subject as the resource, each change as property/old/new", () => {
    const finding = deploymentFinding({ annotations: {}, blocks: [diff({ kind: "Deployment", name: "web", namespace: "demo" }, [{ path: "spec.replicas", old: 2, new: 3 }, { path: "metadata.labels.tier", old: "web" }])] });
    expect(values(finding)).toEqual([
      {
        cluster_name: "prod-eu",
        resource_name: "web",
        resource_namespace: "demo",
        resource_type: "deployment",
        message: "deployment properties change",
        changed_properties: [
          { property: "spec.replicas", old: 2, new: 3 },
          { property: "metadata.labels.tier", old: "web", new: null },
        ],
      },
    ]);
  });

  it("takes the resource from the diff block when the finding has no subject", () => {
    const finding = createFinding({ title: "t", aggregationKey: "k", enrichments: [{ annotations: {}, blocks: [diff({ kind: "ConfigMap", name: "settings" }, [])] }] });
    expect(values(finding)).toEqual([
      { cluster_name: "prod-eu", resource_name: "settings", resource_namespace: null, resource_type: "configmap", message: "configmap properties change", changed_properties: [] },
    ]);
  });

  it("adds cluster_name to a JSON object, in place when it has one, and wraps other JSON values", () => {
    const finding = deploymentFinding({ annotations: {}, blocks: [json({ cluster_name: "theirs", a: 1 }), json([1, 2]), json("text")] });
    const [first, second, third] = renderKafkaMessages(finding, "prod-eu", LIMIT).messages.map((message) => message.value);
    expect(first).toBe('{"cluster_name":"prod-eu","a":1}');
    expect(second).toBe('{"value":[1,2],"cluster_name":"prod-eu"}');
    expect(third).toBe('{"value":"text","cluster_name":"prod-eu"}');
  });

  it("sends a resolved finding's blocks the same way", () => {
    expect(values(sampleFinding({ status: "resolved" }))).toEqual(values(sampleFinding()));
  });

  it("sends nothing for a finding without diff or JSON blocks", () => {
    const result = renderKafkaMessages(deploymentFinding({ annotations: {}, blocks: [markdown("hi"), table([["a", 1]])] }, { annotations: {}, blocks: [] }), "prod-eu", LIMIT);
    expect(result).toEqual({ messages: [], leftOut: [], ignoredEnrichments: 1 });
  });

  it("sends a diff too large without the changed properties that do not fit, and says how many", () => {
    const big = "x".repeat(3000);
    const changes = [{ path: "data.a", old: big, new: "" }, { path: "data.b", old: 1, new: 2 }, { path: "data.c", old: big, new: big }, { path: "data.d", old: 3, new: 4 }];
    const finding = deploymentFinding({ annotations: {}, blocks: [diff({ kind: "ConfigMap", name: "settings", namespace: "demo" }, changes)] });
    const limit = 4000;
    const { messages, leftOut } = renderKafkaMessages(finding, "prod-eu", limit);
    const [message] = messages;
    expect(singleRecordBatchBytes(Buffer.byteLength(message!.key), Buffer.byteLength(message!.value))).toBeLessThanOrEqual(limit);
    expect(JSON.parse(message!.value)).toMatchObject({
      changed_properties: [{ property: "data.a" }, { property: "data.b" }, { property: "data.d" }],
      omitted_properties: 1,
    });
    expect(leftOut).toEqual(["the diff of ConfigMap demo/settings was sent without 1 of its 4 changed properties, to stay within max_message_bytes (4000)"]);
  });

  it("does not send a JSON block too large, and says so", () => {
    const finding = deploymentFinding({ title: "Manifest", annotations: {}, blocks: [json({ manifest: "y".repeat(5000) }), json({ small: true })] });
    const { messages, leftOut } = renderKafkaMessages(finding, "prod-eu", 2000);
    expect(messages.map((message) => message.value)).toEqual(['{"small":true,"cluster_name":"prod-eu"}']);
    expect(leftOut).toEqual(['a JSON block of enrichment 1 ("Manifest") was not sent: its 5040 bytes are over max_message_bytes (2000)']);
  });

  it("does not send values JSON cannot hold", () => {
    const finding = deploymentFinding({ annotations: {}, blocks: [json({ count: 1n })] });
    expect(renderKafkaMessages(finding, "prod-eu", LIMIT)).toMatchObject({ messages: [], leftOut: ["a JSON block of enrichment 1 was not sent: its value cannot be written as JSON"] });
  });
});
