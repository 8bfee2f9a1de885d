/** Prometheus's rule groups and the health of each rule (`GET /api/v1/rules`). */
import { z } from "zod";
import type { Context } from "../../../context.js";
import { prometheusApi, type PrometheusParams } from "../../../integrations/prometheus.js";

const ruleSchema = z.object({
  name: z.string(),
  /** "ok", "err", or "unknown" before the first evaluation. */
  health: z.string(),
  lastError: z.string().optional(),
  type: z.string().optional(),
});

const groupSchema = z.object({ name: z.string(), file: z.string().optional(), rules: z.array(ruleSchema) });

/** A rule group as Prometheus reports it. */
export type RuleGroup = z.output<typeof groupSchema>;

/** Every rule group Prometheus evaluates, with each rule's health and last error. */
export async function prometheusRuleGroups(ctx: Pick<Context, "fetch" | "signal">, params: PrometheusParams): Promise<RuleGroup[]> {
  const data = await prometheusApi(ctx, params, "/api/v1/rules");
  const parsed = z.object({ groups: z.array(groupSchema) }).safeParse(data);
  if (!parsed.success) throw new Error(`Prometheus answered /api/v1/rules with something that is not a list of rule groups: ${JSON.stringify(data)?.slice(0, 200)}`);
  return parsed.data.groups;
}
