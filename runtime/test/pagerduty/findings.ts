/** Findings for the PagerDuty tests: the shared sample, and a configuration change as resource_babysitter reports it. */
import { createFinding, diff, type Finding } from "@robusta-ts/sdk";

export { sampleFinding } from "../webhook/sample-finding.js";

/** "web updated": a Deployment's replicas and image changed, a label added. */
export function changeFinding(overrides: Partial<Finding> = {}): Finding {
  const finding = createFinding(
    {
      title: "web updated",
      description: "Updates to significant fields: 1 additions, 0 deletions, 2 changes.",
      aggregationKey: "ConfigurationChange/KubernetesResource/Change",
      severity: "INFO",
      source: "KUBERNETES_API_SERVER",
      findingType: "CONF_CHANGE",
      failure: false,
      subject: { name: "web", namespace: "demo", subjectType: "deployment" },
      enrichments: [
        {
          title: "Kubernetes Manifest Change",
          enrichmentType: "diff",
          annotations: { operation: "update" },
          blocks: [
            diff({ kind: "Deployment", name: "web", namespace: "demo" }, [
              { path: "spec.replicas", old: 2, new: 3 },
              { path: "spec.template.spec.containers[0].image", old: "web:1.0", new: "web:1.1" },
              { path: "metadata.labels.team", new: "payments" },
            ]),
          ],
        },
      ],
    },
    new Date("2026-01-01T00:00:00Z"),
  );
  return { ...finding, id: "00000000-0000-4000-8000-000000000002", ...overrides };
}
