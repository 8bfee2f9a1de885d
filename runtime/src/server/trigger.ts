/**
 * POST /api/trigger (Robusta §3.1): runs one action by name, synchronously, on an event built
 * from its parameters. The body and the answers, in Robusta's names.
 */
import { z } from "zod";
import { ManualTriggerError, type Finding, type ManualRunResult } from "@robusta-ts/sdk";
import { findingToJson } from "../sinks/finding-json.js";

export const triggerBodySchema = z.object({
  action_name: z.string().min(1).describe("The action to run, e.g. logs_enricher."),
  action_params: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("Its parameters, and those naming the object to run on: name, namespace, and kind for actions on any resource."),
  sinks: z.array(z.string().min(1)).optional().describe("Where to send its findings; default: the default sinks."),
  sync_response: z.boolean().default(false).describe("Answer with the findings."),
  no_sinks: z.boolean().default(false).describe("Send the findings nowhere (with sync_response: only answer with them)."),
});

export type TriggerBody = z.output<typeof triggerBodySchema>;

/** An answer: its HTTP status and JSON body. */
export interface TriggerAnswer {
  readonly status: 200 | 400 | 404 | 500 | 503;
  readonly body: Record<string, unknown>;
}

const STATUS_OF: Record<ManualTriggerError["code"], 400 | 404> = {
  ACTION_NOT_FOUND: 404,
  NOT_MANUALLY_TRIGGERABLE: 400,
  INVALID_PARAMS: 400,
  RESOURCE_NOT_FOUND: 404,
};

/** A refusal: `{success: false, msg, error_code}` as Robusta answers, with each bad parameter when there are some. */
export function refusal(status: TriggerAnswer["status"], code: string, msg: string, issues: readonly { path: string; message: string }[] = []): TriggerAnswer {
  return { status, body: { success: false, msg, error_code: code, ...(issues.length > 0 && { issues }) } };
}

/** The answer for a ManualTriggerError. */
export function triggerErrorAnswer(error: ManualTriggerError): TriggerAnswer {
  return refusal(STATUS_OF[error.code], error.code, error.message, error.issues);
}

/** Each finding once: sinks get copies of the same finding, sharing its id. */
export function distinctFindings(findings: ReadonlyMap<string, readonly Finding[]>): Finding[] {
  const byId = new Map<string, Finding>();
  for (const list of findings.values()) for (const finding of list) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  return [...byId.values()];
}

/** The answer once the action ran: 200, or 500 with the action's error; the findings when asked for. */
export function resultAnswer(result: ManualRunResult, body: TriggerBody, clusterName: string, deliveredTo: readonly string[]): TriggerAnswer {
  const findings = body.sync_response ? { findings: distinctFindings(result.findings).map((f) => findingToJson(f, clusterName)) } : {};
  const ran = { action: body.action_name, outcome: result.run.outcome, sinks: deliveredTo, ...findings };
  if (result.run.outcome === "ok") return { status: 200, body: { success: true, ...ran } };
  return { status: 500, body: { success: false, msg: result.run.error ?? result.run.outcome, error_code: "ACTION_FAILED", ...ran } };
}
