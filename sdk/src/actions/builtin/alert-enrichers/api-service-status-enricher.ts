import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown, table, type Block } from "../../../findings/blocks.js";
import type { KubernetesObject } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";

const ACTION = "api_service_status_enricher";

/** An APIService (apiregistration.k8s.io/v1): what the API server delegates a group/version to. */
interface ApiService extends KubernetesObject {
  spec?: {
    /** Absent for groups the API server serves itself ("Local"). */
    service?: { namespace?: string; name?: string; port?: number };
  };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

/** "monitoring/prometheus-adapter:443", the service the API server forwards requests to. */
const serviceName = (service: { namespace?: string; name?: string; port?: number }): string =>
  `${service.namespace ?? "default"}/${service.name ?? ""}${service.port !== undefined ? `:${service.port}` : ""}`;

/** Whether the service the APIService points to exists; a failed read counts as unknown. */
async function serviceExists(ctx: Context, namespace: string, name: string): Promise<boolean | undefined> {
  try {
    return (await ctx.cluster.get("Service", name, namespace)) !== undefined;
  } catch (error) {
    ctx.logger.warn({ service: `${namespace}/${name}`, reason: errorMessage(error) }, `${ACTION}: could not read the service`);
    return undefined;
  }
}

/** api_service_status_enricher: why an aggregated API is down, from its APIService's status. */
export const apiServiceStatusEnricher = defineAction({
  name: ACTION,
  description:
    'For KubeAggregatedAPIDown: reads the APIService the alert\'s `name` label names (e.g. "v1beta1.metrics.k8s.io") and, when it is not Available, adds Robusta\'s "Apiservice status details" (the Available condition\'s reason and message), then a table of the APIService: Available, reason, message, since when, and the service it points to, with whether that service exists. When the alert has no `name` label or the APIService is gone, a note says so.',
  event: EventClasses.PrometheusAlert,
  params: z.object({}),
  async run(event, _params, ctx) {
    const name = event.labels.name;
    if (!name) {
      ctx.logger.warn({ alert: event.alertName }, `${ACTION}: the alert has no name label naming an APIService`);
      ctx.addEnrichment([markdown("No APIService status: the alert has no `name` label naming the APIService.")]);
      return;
    }
    const apiService = (await ctx.cluster.get("APIService", name)) as ApiService | undefined;
    if (!apiService) {
      ctx.logger.warn({ apiService: name }, `${ACTION}: the APIService was not found`);
      ctx.addEnrichment([markdown(`No APIService status: the APIService ${name} was not found.`)]);
      return;
    }
    const available = apiService.status?.conditions?.find((condition) => condition.type === "Available");
    const service = apiService.spec?.service;
    const exists = service?.name ? await serviceExists(ctx, service.namespace ?? "default", service.name) : undefined;
    const blocks: Block[] = [];
    if (available && available.status !== "True") {
      blocks.push(markdown(`*Apiservice status details:*\n*${available.reason ?? "Unknown"}-* ${available.message ?? ""}`.trimEnd()));
    }
    if (service?.name && exists === false) {
      blocks.push(markdown(`The service ${serviceName(service)} that the APIService points to does not exist.`));
    }
    blocks.push(
      table(
        [
          ["APIService", name],
          ["Available", available?.status ?? "Unknown"],
          ...(available?.reason ? [["Reason", available.reason]] : []),
          ...(available?.message ? [["Message", available.message]] : []),
          ...(available?.lastTransitionTime ? [["Since", available.lastTransitionTime]] : []),
          ["Service", service?.name ? serviceName(service) : "Local (served by the API server itself)"],
          ...(exists !== undefined ? [["Service exists", exists ? "yes" : "no"]] : []),
        ],
        { name: "APIService status" },
      ),
    );
    ctx.addEnrichment(blocks, { title: "APIService status" });
  },
});
