import { describe, expect, it } from "vitest";
import {
  alertExplanationEnricher,
  buttonEnricher,
  createFindingAction,
  customiseFinding,
  externalVideoEnricher,
  mentionEnricher,
  templateEnricher,
  type TableBlock,
} from "../src/index.js";
import { InMemoryCluster, fixtures } from "../src/testing/index.js";
import { alertAbout, namespace } from "./support/finding-fixtures.js";
import { TestContext } from "./support/test-context.js";

const webPod = fixtures.pod({ name: "web-7d9f", namespace: "shop", nodeName: "node-3", labels: { app: "web", team: "payments" } });
const podAnnotated = { ...webPod, metadata: { ...webPod.metadata, annotations: { owner: "platform" } } };
const podChange = () => fixtures.change("update", podAnnotated, webPod);

describe("create_finding", () => {
  it("creates a finding about the event's subject, with a templated title and description", async () => {
    const ctx = new TestContext();
    await createFindingAction(podChange(), ctx, {
      title: "Pod $name on $node in $namespace ($kind)",
      aggregationKey: "CustomPodIssue",
      description: "Team ${labels.team}, owned by ${annotations.owner}; costs $$5",
    });
    expect(ctx.findings).toEqual([
      expect.objectContaining({
        title: "Pod web-7d9f on node-3 in shop (pod)",
        description: "Team payments, owned by platform; costs $5",
        aggregationKey: "CustomPodIssue",
        severity: "HIGH",
        source: "KUBERNETES_API_SERVER",
        subject: expect.objectContaining({ name: "web-7d9f", namespace: "shop", subjectType: "pod", labels: { app: "web", team: "payments" } }),
      }),
    ]);
  });

  it("leaves unknown placeholders as written, and shows <missing> for subject fields the event lacks", async () => {
    const ctx = new TestContext();
    const nodeAlert = alertAbout({ name: "NodeDown", labels: {} });
    await createFindingAction(nodeAlert, ctx, { title: "$kind $name: $unknown ${labels.nope} in $namespace.", aggregationKey: "X", severity: "LOW" });
    expect(ctx.findings[0]).toMatchObject({ title: "<missing> <missing>: $unknown ${labels.nope} in <missing>.", severity: "LOW", source: "PROMETHEUS" });
  });

  it("templates alerts with their labels by name, and their subject", async () => {
    const ctx = new TestContext();
    const event = alertAbout({ name: "KubePodCrashLooping", labels: { namespace: "shop", pod: "web-7d9f" } }, { pod: webPod });
    await createFindingAction(event, ctx, { title: "$alertname: ${labels.pod} ($name, app $labels.app)", aggregationKey: "Crash" });
    expect(ctx.findings[0]?.title).toBe("KubePodCrashLooping: web-7d9f (web-7d9f, app web)");
    // Not the alert's own fingerprint: a new finding of its own.
    expect(ctx.findings[0]?.fingerprint).toBeUndefined();
  });

  it("rejects an unknown severity", async () => {
    await expect(
      createFindingAction(podChange(), new TestContext(), { title: "t", aggregationKey: "k", severity: "URGENT" as "HIGH" }),
    ).rejects.toThrow(/create_finding: severity/);
  });
});

describe("customise_finding", () => {
  it("changes the title, description, severity and aggregation key, templated", async () => {
    const ctx = new TestContext();
    await customiseFinding(podChange(), ctx, {
      title: "Resource $kind/$namespace/$name is in trouble",
      description: "On $node",
      severity: "DEBUG",
      aggregationKey: "Trouble-$namespace",
    });
    expect(ctx.findingChanges).toEqual([
      { title: "Resource pod/shop/web-7d9f is in trouble", description: "On node-3", severity: "DEBUG", aggregationKey: "Trouble-shop" },
    ]);
    expect(ctx.enrichments).toEqual([]);
  });

  it("changes nothing when given nothing", async () => {
    const ctx = new TestContext();
    await customiseFinding(podChange(), ctx, {});
    expect(ctx.findingChanges).toEqual([]);
  });

  it("sets labels by relabel rules, and shows them in a labels table", async () => {
    const ctx = new TestContext();
    await customiseFinding(podChange(), ctx, {
      findingLabelRules: [
        { source_fields: ["namespace"], regex: "sh(.*)", target_label: "short", replacement: "${1}-$1" },
        { source_fields: ["namespace", "labels.app"], regex: "shop;(?<app>.+)", target_label: "service", replacement: "svc-$app" },
        { source_fields: ["namespace", "labels.app"], separator: "/", target_label: "path" },
        { source_fields: ["namespace"], regex: "infra-.*", target_label: "team", replacement: "infra" },
        { source_fields: ["labels.nonexistent"], regex: "", target_label: "fallback", replacement: "x" },
        { source_fields: ["labels.service"], regex: "svc-(.*)", target_label: "chained", replacement: "$1!" },
        { source_fields: ["labels.app"], regex: "(?i)WEB", target_label: "tier", replacement: "frontend" },
      ],
    });
    const labels = { short: "op-op", service: "svc-web", path: "shop/web", fallback: "x", chained: "web!", tier: "frontend" };
    expect(ctx.findingChanges).toEqual([{ labels }]);
    expect(ctx.enrichments).toHaveLength(1);
    expect(ctx.enrichments[0]?.options.title).toBe("labels");
    const table = ctx.enrichments[0]?.blocks[0] as TableBlock;
    expect(table).toMatchObject({ type: "table", name: "labels", headers: ["label", "value"] });
    expect(table.rows).toEqual(Object.entries(labels));
  });

  it("reads the labels of the subject's namespace", async () => {
    const cluster = new InMemoryCluster().apply(namespace("shop", { "cost-center": "cc-42" }));
    const ctx = new TestContext(cluster);
    await customiseFinding(podChange(), ctx, {
      findingLabelRules: [{ source_fields: ["namespace_labels.cost-center"], regex: "cc-(\\d+)", target_label: "cost_center", replacement: "$1" }],
    });
    expect(ctx.findingChanges).toEqual([{ labels: { cost_center: "42" } }]);
  });

  it("adds no labels or table when no rule matches, and none for an unreadable namespace", async () => {
    const ctx = new TestContext(new InMemoryCluster().failOn("get", new Error("forbidden")));
    await customiseFinding(podChange(), ctx, {
      title: "Renamed",
      findingLabelRules: [{ source_fields: ["namespace_labels.team"], regex: ".+", target_label: "team" }],
    });
    expect(ctx.findingChanges).toEqual([{ title: "Renamed" }]);
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", message: "customise_finding: could not read the namespace's labels" }));
  });

  it("rejects an invalid regex", async () => {
    await expect(
      customiseFinding(podChange(), new TestContext(), { findingLabelRules: [{ source_fields: ["name"], regex: "(", target_label: "x" }] }),
    ).rejects.toThrow(/finding_label_rules.0.regex: must be a valid regular expression/);
  });
});

describe("template_enricher", () => {
  it("adds the template as markdown, with the subject's fields and, on alerts, the alert's labels", async () => {
    const ctx = new TestContext();
    const event = alertAbout({ name: "KubePodCrashLooping", labels: { namespace: "shop", pod: "web-7d9f" }, annotations: { runbook: "rb-1" } }, { pod: webPod });
    await templateEnricher(event, ctx, { template: "<https://grafana.example/?ns=${namespace}&pod=${name}|$alertname> see $runbook, $other" });
    expect(ctx.blocks).toEqual([{ type: "markdown", text: "<https://grafana.example/?ns=shop&pod=web-7d9f|KubePodCrashLooping> see rb-1, $other" }]);
  });

  it("continues a dotted name only as far as a variable goes", async () => {
    const ctx = new TestContext();
    await templateEnricher(podChange(), ctx, { template: "http://$name.$namespace.svc.cluster.local" });
    expect(ctx.blocks).toEqual([{ type: "markdown", text: "http://web-7d9f.shop.svc.cluster.local" }]);
  });

  it("adds nothing for an empty template", async () => {
    const ctx = new TestContext();
    await templateEnricher(podChange(), ctx, {});
    expect(ctx.enrichments).toEqual([]);
  });
});

describe("button_enricher", () => {
  it("adds a link button with a templated text and URL", async () => {
    const ctx = new TestContext();
    await buttonEnricher(podChange(), ctx, { buttonText: "Logs of $name", buttonUrl: "https://logs.example/?ns=$namespace&pod=$name&team=${labels.team}" });
    expect(ctx.blocks).toEqual([{ type: "links", links: [{ text: "Logs of web-7d9f", url: "https://logs.example/?ns=shop&pod=web-7d9f&team=payments" }] }]);
  });

  it("drops placeholders with no value, and adds no button when the URL comes out empty", async () => {
    const ctx = new TestContext();
    await buttonEnricher(podChange(), ctx, { buttonText: "Dashboard", buttonUrl: "${annotations.dashboard}" });
    expect(ctx.enrichments).toEqual([]);
    await buttonEnricher(podChange(), ctx, { buttonText: "Go ${labels.none}", buttonUrl: "https://x.example/${labels.none}" });
    expect(ctx.blocks).toEqual([{ type: "links", links: [{ text: "Go", url: "https://x.example/" }] }]);
  });
});

describe("mention_enricher", () => {
  it("mentions the static users and groups, and those named by the resource's label", async () => {
    const pod = fixtures.pod({ labels: { oncall: "U111.S222" } });
    const ctx = new TestContext();
    await mentionEnricher(fixtures.change("create", pod), ctx, { staticMentions: ["U999"], mentionsLabel: "oncall" });
    expect(ctx.blocks).toEqual([{ type: "markdown", text: "Hey: <@U111> <!subteam^S222> <@U999>" }]);
  });

  it("on alerts, takes the label from the alert over the resource, with a custom message", async () => {
    const pod = fixtures.pod({ labels: { oncall: "U111" } });
    const event = alertAbout({ name: "Crash", labels: { oncall: "U222,U333" } }, { pod });
    const ctx = new TestContext();
    await mentionEnricher(event, ctx, { mentionsLabel: "oncall", messageTemplate: "Paging $mentions now" });
    expect(ctx.blocks).toEqual([{ type: "markdown", text: "Paging <@U222> <@U333> now" }]);
  });

  it("skips ids that are not Slack's, and adds nothing with nobody to mention", async () => {
    const ctx = new TestContext();
    await mentionEnricher(fixtures.change("create", fixtures.pod()), ctx, { staticMentions: ["bob"], mentionsLabel: "oncall" });
    expect(ctx.enrichments).toEqual([]);
    expect(ctx.logger.entries).toContainEqual(expect.objectContaining({ level: "warn", fields: { mention: "bob" } }));
    await mentionEnricher(fixtures.change("create", fixtures.pod()), ctx, {});
    expect(ctx.enrichments).toEqual([]);
  });
});

describe("alert_explanation_enricher", () => {
  it("adds the explanation and the recommendation as markdown, without link unfurling", async () => {
    const ctx = new TestContext();
    await alertExplanationEnricher(alertAbout({ name: "HighLatency" }), ctx, {
      alertExplanation: "p99 latency is over 2s.",
      recommendedResolution: "Scale the API.",
    });
    expect(ctx.enrichments).toEqual([
      {
        blocks: [
          { type: "markdown", text: "📘 *Alert Explanation:* p99 latency is over 2s." },
          { type: "markdown", text: "🛠 *Robusta's Recommendation:* Scale the API." },
        ],
        options: { annotations: { unfurl: "false" } },
      },
    ]);
  });

  it("adds only the explanation when there is no recommendation", async () => {
    const ctx = new TestContext();
    await alertExplanationEnricher(alertAbout({ name: "HighLatency" }), ctx, { alertExplanation: "Slow." });
    expect(ctx.blocks).toEqual([{ type: "markdown", text: "📘 *Alert Explanation:* Slow." }]);
  });
});

describe("external_video_enricher", () => {
  it("adds a link to the video", async () => {
    const ctx = new TestContext();
    await externalVideoEnricher(podChange(), ctx, { url: "https://video.example/fix-oom", name: "How to fix it" });
    await externalVideoEnricher(podChange(), ctx, { url: "https://video.example/2" });
    expect(ctx.blocks).toEqual([
      { type: "links", links: [{ text: "How to fix it", url: "https://video.example/fix-oom" }] },
      { type: "links", links: [{ text: "See more", url: "https://video.example/2" }] },
    ]);
  });
});
