import { describe, expect, it } from "vitest";
import { sinksConfigSchema } from "../../src/sinks/sinks-config.js";
import { jiraSinkParams } from "../../src/sinks/jira/params.js";

const minimal = { name: "jira", url: "https://workspace.atlassian.net/", username: "robusta@example.com", api_key: "t0ken", project_name: "OPS" };

const problems = (entry: Record<string, unknown>): string[] => {
  const parsed = sinksConfigSchema.safeParse([{ jira_sink: entry }]);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.slice(2).join(".")}: ${issue.message}`);
};

describe("jira_sink parameters", () => {
  it("takes Robusta's keys with Robusta's defaults", () => {
    expect(jiraSinkParams.parse(minimal)).toMatchObject({
      url: "https://workspace.atlassian.net",
      issue_type: "Task",
      dedups: ["fingerprint"],
      sendResolved: false,
      reopenIssues: false,
      doneStatusName: "Done",
      reopenStatusName: "To Do",
      noReopenResolution: "",
      epic: "",
      assignee: "",
    });
    expect(jiraSinkParams.parse({ ...minimal, project_type_id_override: 10000, issue_type_id_override: "10001" })).toMatchObject({
      project_type_id_override: "10000",
      issue_type_id_override: "10001",
    });
  });

  it("says what is wrong", () => {
    expect(problems({ name: "jira" })).toEqual(["url: required (string)", "username: required (string)", "api_key: required (string)", "project_name: required (string)"]);
    expect(problems({ ...minimal, url: "workspace.atlassian.net" })).toEqual(["url: must be an http:// or https:// URL, like https://workspace.atlassian.net"]);
    expect(problems({ ...minimal, dedups: ["fingerprint", "colour"] })[0]).toMatch(/^dedups\.1: takes fingerprint, cluster_name, title, /);
    expect(problems({ ...minimal, dedups: [] })).toEqual(["dedups: name at least one attribute"]);
    expect(problems({ ...minimal, priority_mapping: { URGENT: "High" } })[0]).toBe("priority_mapping.URGENT: is not a severity; use DEBUG, INFO, LOW, MEDIUM, HIGH");
    expect(problems({ ...minimal, issue_type_id_override: "Task" })).toEqual(["issue_type_id_override: must be the numeric id of the issue type"]);
    expect(problems({ ...minimal, sendresolved: true })[0]).toMatch(/sendresolved/);
  });
});
