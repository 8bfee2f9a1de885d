import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";

/** The scrape jobs of the cluster DNS, as kube-prometheus names them. */
const DNS_JOBS = ["kube-dns", "coredns"];

/** target_down_dns_silencer: drops TargetDown for a DNS scrape target whose Service the cluster does not have. */
export const targetDownDnsSilencer = defineAction({
  name: "target_down_dns_silencer",
  description:
    "For TargetDown alerts of the cluster DNS (job kube-dns or coredns): silences the alert when the Service it names (its `service` label, else the job, in its `namespace`, else kube-system) does not exist, as some managed clusters do not provide it, so the target is misconfigured rather than down. Other alerts go through.",
  event: EventClasses.PrometheusAlert,
  params: z.object({}),
  async run(event, _params, ctx) {
    const job = event.labels.job;
    if (!job || !DNS_JOBS.includes(job)) return;
    const name = event.labels.service || job;
    const namespace = event.labels.namespace || "kube-system";
    try {
      if (await ctx.cluster.get("Service", name, namespace)) return;
    } catch (error) {
      ctx.logger.warn({ service: name, namespace, reason: errorMessage(error) }, "target_down_dns_silencer: could not read the Service; not silenced");
      return;
    }
    ctx.logger.info({ job, service: name, namespace }, "target_down_dns_silencer: the DNS Service does not exist; silenced the misconfigured target");
    ctx.stopProcessing();
  },
});
