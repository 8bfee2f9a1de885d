import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table, type Block } from "../../../findings/blocks.js";
import { prometheusParamsShape } from "../../../integrations/prometheus.js";
import { defineAction } from "../../define.js";
import { prometheusOrNote } from "./prometheus-values.js";
import { prometheusRuleGroups } from "./prometheus-rules.js";

const ACTION = "prometheus_rules_enricher";

/** The kubelet Services the Prometheus operator made; more than one means every kubelet is scraped twice. */
const KUBELET_SERVICES = "k8s-app=kubelet,app.kubernetes.io/managed-by=prometheus-operator";

/**
 * Robusta's hint for a failing kubelet rule group: several operator-made kubelet Services (left by
 * an earlier install) duplicate the kubelet's series, and rules over them fail.
 */
async function duplicateKubeletNote(ctx: Context, ruleGroup: string | undefined): Promise<string | undefined> {
  if (!ruleGroup?.includes("kubelet")) return undefined;
  const services = await ctx.cluster.list("Service", { labelSelector: KUBELET_SERVICES });
  if (services.length <= 1) return undefined;
  const names = services.map((service) => `${service.metadata?.namespace ?? ""}/${service.metadata?.name ?? ""}`).join(", ");
  return `The rule failure might be caused by multiple kubelet services running in your cluster: ${names}.`;
}

/** prometheus_rules_enricher: which Prometheus rules fail to evaluate, and why. */
export const prometheusRulesEnricher = defineAction({
  name: ACTION,
  description:
    'For PrometheusRuleFailures: reads Prometheus\'s rules (/api/v1/rules) and adds a "Failing Prometheus rules" table of every rule whose health is not "ok" (group, rule, health, last error), the rules of the alert\'s rule_group first; or says that none fails now. When the failing group is about the kubelet and the Prometheus operator made several kubelet Services, it adds Robusta\'s note that they may be the cause. Without Prometheus, a note says so.',
  event: EventClasses.PrometheusAlert,
  params: z.object({ ...prometheusParamsShape }),
  async run(event, params, ctx) {
    // rule_group is "<file>;<group name>".
    const ruleGroup = event.labels.rule_group;
    const blocks: Block[] = [];
    const kubeletNote = await duplicateKubeletNote(ctx, ruleGroup);
    if (kubeletNote) blocks.push(markdown(kubeletNote));
    if (!prometheusOrNote(params, ctx, ACTION, "list of failing rules")) {
      if (blocks.length > 0) ctx.addEnrichment(blocks);
      return;
    }
    const groups = await prometheusRuleGroups(ctx, params);
    const alertGroup = ruleGroup?.split(";").at(-1);
    const failing = groups
      .flatMap((group) => group.rules.filter((rule) => rule.health !== "ok").map((rule) => ({ group: group.name, rule })))
      // The alert's group first; the order is otherwise Prometheus's.
      .sort((a, b) => Number(b.group === alertGroup) - Number(a.group === alertGroup));
    if (failing.length === 0) {
      blocks.push(markdown("Prometheus reports no failing rule now."));
    } else {
      blocks.push(
        table(
          failing.map(({ group, rule }) => [group, rule.name, rule.health, rule.lastError ?? ""]),
          { headers: ["group", "rule", "health", "last error"], name: "Failing Prometheus rules" },
        ),
      );
    }
    ctx.addEnrichment(blocks, { title: "Prometheus rules" });
  },
});
