import { describe, expect, it } from "vitest";
import { decide, type DecisionSettings } from "../../src/sinks/jira/decide.js";
import type { FoundIssue } from "../../src/sinks/jira/jira-api.js";

const settings: DecisionSettings = { sendResolved: false, reopenIssues: false, doneStatusName: "Done", noReopenResolution: "" };
const open: FoundIssue = { id: "1", key: "OPS-1", status: "In Progress", resolution: "" };
const done: FoundIssue = { id: "1", key: "OPS-1", status: "done", resolution: "Won't Do" };
const firing = { source: "PROMETHEUS", status: "firing" } as const;
const resolved = { source: "PROMETHEUS", status: "resolved" } as const;

describe("what the Jira sink does (Robusta's manage_issue)", () => {
  it("creates for anything but Prometheus alerts, whatever exists", () => {
    expect(decide({ source: "KUBERNETES_API_SERVER", status: "firing" }, open, settings)).toEqual({ action: "create" });
    expect(decide({ source: "NONE", status: "resolved" }, undefined, settings)).toEqual({ action: "create" });
  });

  it("creates for a firing alert with no issue; does nothing for a resolved one", () => {
    expect(decide(firing, undefined, settings)).toEqual({ action: "create" });
    expect(decide(resolved, undefined, settings).action).toBe("nothing");
  });

  it("updates an open issue while the alert fires; resolves it only with sendResolved", () => {
    expect(decide(firing, open, settings)).toEqual({ action: "update", issue: open });
    expect(decide(resolved, open, settings).action).toBe("nothing");
    expect(decide(resolved, open, { ...settings, sendResolved: true })).toEqual({ action: "resolve", issue: open });
  });

  it("for a done issue (status compared ignoring case): nothing on resolve; a new issue, a reopen, or nothing for noReopenResolution", () => {
    expect(decide(resolved, done, { ...settings, sendResolved: true }).action).toBe("nothing");
    expect(decide(firing, done, settings)).toEqual({ action: "create" });
    expect(decide(firing, done, { ...settings, reopenIssues: true })).toEqual({ action: "reopen", issue: done });
    expect(decide(firing, done, { ...settings, reopenIssues: true, noReopenResolution: "Won't Do" }).action).toBe("nothing");
    expect(decide(firing, done, { ...settings, noReopenResolution: "Won't Do" }).action).toBe("nothing");
  });
});
