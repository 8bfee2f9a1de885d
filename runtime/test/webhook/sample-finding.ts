/** A finding with every kind of block, with a fixed id so renderings can be snapshotted. */
import { callback, createFinding, diff, divider, file, header, json, links, list, markdown, table, type Finding } from "@robusta-ts/sdk";

export function sampleFinding(overrides: Partial<Finding> = {}): Finding {
  const finding = createFinding(
    {
      title: "Crashing pod web-0 in namespace demo",
      description: "The container app restarted 3 times in 5 minutes.",
      aggregationKey: "CrashLoopBackoff",
      severity: "HIGH",
      source: "KUBERNETES_API_SERVER",
      subject: { name: "web-0", namespace: "demo", subjectType: "pod", labels: { app: "web", tier: "frontend" } },
      links: [{ name: "Runbook", url: "https://runbooks.example.com/crashloop" }],
      enrichments: [
        {
          title: "Crash info",
          enrichmentType: "crash_info",
          annotations: {},
          blocks: [
            header("Container app"),
            table([["restarts", 3], ["state", "CrashLoopBackOff"]]),
            table([["app", 3, "OOMKilled"]], { headers: ["container", "restarts", "reason"], name: "Containers" }),
          ],
        },
        {
          title: "Logs",
          enrichmentType: "text_file",
          annotations: {},
          blocks: [markdown("See <https://logs.example.com/web-0|the full log> for more."), file("web-0.log", "boom\n")],
        },
        {
          annotations: {},
          blocks: [
            list(["first <https://a.example.com|A>", "second, no link <@U123>"]),
            diff({ kind: "Deployment", name: "web", namespace: "demo" }, [{ path: "spec.replicas", old: 2, new: 3 }, { path: "spec.paused", new: true }]),
            json({ restarts: 3, reason: "OOMKilled" }),
            links([{ text: "Dashboard", url: "https://grafana.example.com/d/web" }]),
            divider(),
            callback([{ text: "Restart", action: "restart_pod" }]),
          ],
        },
      ],
    },
    new Date("2026-01-01T00:00:00Z"),
  );
  return { ...finding, id: "00000000-0000-4000-8000-000000000001", ...overrides };
}
