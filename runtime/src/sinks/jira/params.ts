/** `jira_sink` parameters: Robusta's keys and defaults (`JiraSinkParams`, §7.2). */
import { SEVERITIES, type Severity } from "@robusta-ts/sdk";
import { z } from "zod";
import { sinkBaseParams } from "../base-params.js";

/**
 * What `dedups` may name: the finding's own attributes (Robusta's names), its routing attributes
 * (`identifier`, `kind`, ...) and `cluster_name`. Each value becomes an issue label.
 */
export const DEDUP_ATTRIBUTES = [
  "fingerprint",
  "cluster_name",
  "title",
  "aggregation_key",
  "identifier",
  "severity",
  "source",
  "finding_type",
  "type",
  "kind",
  "namespace",
  "node",
  "name",
  "failure",
  "id",
  "creation_date",
  "starts_at",
] as const;
export type DedupAttribute = (typeof DEDUP_ATTRIBUTES)[number];

const isSeverity = (key: string): key is Severity => (SEVERITIES as readonly string[]).includes(key);

// Robusta's are Optional[int]; a string of digits is taken too, since `{{ env.X }}` gives strings.
const jiraId = (what: string) => {
  const message = `must be the numeric id of the ${what}`;
  return z
    .union([z.number().int(message).positive(message), z.string().regex(/^\d+$/, message)], { error: message })
    .transform(String)
    .optional();
};

export const jiraSinkParams = z
  .object({
    ...sinkBaseParams,
    url: z
      // A missing url keeps zod's message, which the config reports as "required".
      .url({ protocol: /^https?$/, error: (issue) => (issue.input === undefined ? undefined : "must be an http:// or https:// URL, like https://workspace.atlassian.net") })
      .transform((url) => url.replace(/\/+$/, ""))
      .describe(
        "Your Jira site, like `https://workspace.atlassian.net` (the REST API is under `/rest/api/3`). With a scoped API token, `https://api.atlassian.com/ex/jira/<cloudId>`.",
      ),
    username: z.string().min(1).describe("The email of the Jira account issues are created as."),
    api_key: z.string().min(1).describe("That account's API token (id.atlassian.com → Security → API tokens). Never logged."),
    project_name: z.string().min(1).describe("The project issues go to: its name or its key."),
    issue_type: z.string().min(1).default("Task").describe("The issue type created, by name (one of the project's)."),
    dedups: z
      .array(z.enum(DEDUP_ATTRIBUTES, { error: `takes ${DEDUP_ATTRIBUTES.join(", ")}` }))
      .min(1, "name at least one attribute")
      .default(["fingerprint"])
      .describe(
        "Finding attributes whose values become the issue's labels (spaces made `_`). A Prometheus alert updates the issue that has all these labels instead of opening another.",
      ),
    project_type_id_override: jiraId("project").describe("The project's id: used instead of looking `project_name` up."),
    issue_type_id_override: jiraId("issue type").describe("The issue type's id: used instead of looking `issue_type` up."),
    sendResolved: z
      .boolean()
      .default(false)
      .describe("Prometheus alerts: when the alert resolves, move its issue to `doneStatusName` and comment on it."),
    reopenIssues: z
      .boolean()
      .default(false)
      .describe("Prometheus alerts: when an alert fires again and its issue is done, reopen the issue (to `reopenStatusName`) rather than open a new one."),
    doneStatusName: z.string().min(1).default("Done").describe("The status that means done: issues are moved to it on resolve, and an issue in it counts as closed."),
    reopenStatusName: z.string().min(1).default("To Do").describe("The status a done issue is moved back to when reopened."),
    noReopenResolution: z
      .string()
      .default("")
      .describe("A resolution (like `Won't Do`) that keeps a done issue closed: an alert firing again then changes nothing."),
    priority_mapping: z
      .record(z.string(), z.string().min(1))
      .superRefine((mapping, ctx) => {
        for (const key of Object.keys(mapping)) {
          if (!isSeverity(key)) ctx.addIssue({ code: "custom", path: [key], message: `is not a severity; use ${SEVERITIES.join(", ")}` });
        }
      })
      .transform((mapping) => mapping as Partial<Record<Severity, string>>)
      .optional()
      .describe(
        "Jira priority names by finding severity, like `{HIGH: High, LOW: Low, INFO: Lowest}`; a severity not listed gets `Major`. Default: HIGH Critical, MEDIUM Major, LOW and INFO Minor. A priority Jira does not have is left off (with a warning) rather than losing the issue.",
      ),
    epic: z.string().default("").describe("The key of an epic (like `OPS-12`) the issues are put under (their parent)."),
    assignee: z.string().default("").describe("The account id of the person issues are assigned to."),
  })
  .strict();

/** A validated `jira_sink` entry. */
export type JiraSinkParams = z.output<typeof jiraSinkParams>;
