import type { z } from "zod";

/** "alerts[0].labels.alertname" from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

/** Each problem of a failed validation, with where it is. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path) || "(body)", message: issue.message }));
}

/** One line naming every problem: "alerts[0].status: Invalid option...; alerts[1].startsAt: ...". */
export function summarize(issues: readonly { path: string; message: string }[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => `${i.path}: ${i.message}`);
  return shown.join("; ") + (issues.length > max ? `; and ${issues.length - max} more` : "");
}
