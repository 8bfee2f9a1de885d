/**
 * `robusta trigger <action> key=value ...`: runs an action on a runner through POST /api/trigger
 * and prints what it found. Values are YAML scalars or flow collections (`limit=5`,
 * `previous=true`, `included_types=[Warning]`); quote one to keep it a string (`name="1234"`).
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { findingFromJson, findingJsonSchema } from "../sinks/finding-json.js";
import { renderFindingText } from "../sinks/render-text.js";

export interface TriggerOptions {
  readonly action: string;
  /** `key=value` arguments. */
  readonly assignments: readonly string[];
  /** The runner, e.g. http://robusta-runner.robusta.svc (default http://127.0.0.1:5000). */
  readonly url: string;
  readonly sinks?: readonly string[];
  readonly noSinks: boolean;
  /** The runner's ROBUSTA_AUTH_TOKEN, when it has one. */
  readonly token?: string;
  /** Print the runner's answer as it is. */
  readonly json: boolean;
}

/** A `key=value` argument that does not parse. */
export class AssignmentError extends Error {}

/** `key=value` arguments as action parameters. */
export function parseAssignments(assignments: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) throw new AssignmentError(`"${assignment}" is not key=value`);
    const key = assignment.slice(0, eq);
    const raw = assignment.slice(eq + 1);
    try {
      params[key] = raw === "" ? "" : parseYaml(raw);
    } catch (error) {
      throw new AssignmentError(`${key}: cannot read "${raw}": ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  return params;
}

const answerSchema = z.object({
  success: z.boolean(),
  msg: z.string().optional(),
  error_code: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  outcome: z.string().optional(),
  sinks: z.array(z.string()).optional(),
  findings: z.array(findingJsonSchema).optional(),
});

/** Runs the action and prints the outcome; resolves with the exit code (0: the action ran and succeeded). */
export async function trigger(options: TriggerOptions, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const body = {
    action_name: options.action,
    action_params: parseAssignments(options.assignments),
    ...(options.sinks && { sinks: options.sinks }),
    no_sinks: options.noSinks,
    sync_response: true,
  };
  const url = new URL("/api/trigger", options.url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(options.token && { authorization: `Bearer ${options.token}` }) },
      body: JSON.stringify(body),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    throw new Error(`cannot reach the runner at ${url.origin}${cause} (set --url or ROBUSTA_RUNNER_URL)`);
  }
  const text = await response.text();
  if (options.json) {
    out(`${text}\n`);
    return response.ok ? 0 : 1;
  }
  let parsed: z.output<typeof answerSchema>;
  try {
    parsed = answerSchema.parse(JSON.parse(text));
  } catch {
    throw new Error(`the runner at ${url.origin} answered ${response.status} with something unexpected: ${text.slice(0, 200)}`);
  }
  if (!parsed.success && parsed.outcome === undefined) {
    // Refused before running.
    out(`${options.action}: ${parsed.msg ?? `refused (${response.status})`}\n`);
    for (const issue of parsed.issues ?? []) out(`  ${issue.path}: ${issue.message}\n`);
    return 1;
  }
  const findings = (parsed.findings ?? []).map(findingFromJson);
  const where = parsed.sinks?.length ? `sent to ${parsed.sinks.join(", ")}` : "sent nowhere";
  out(`${options.action}: ${parsed.success ? "done" : `failed: ${parsed.msg ?? parsed.outcome}`}; ${findings.length} finding${findings.length === 1 ? "" : "s"} ${where}\n`);
  for (const finding of findings) out(`\n${renderFindingText(finding, { color: process.stdout.isTTY === true })}\n`);
  return parsed.success ? 0 : 1;
}
