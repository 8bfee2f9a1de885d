import type { EnvVarSource } from "kubernetes-types/core/v1.js";
import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { markdown } from "../../../findings/blocks.js";
import type { Pod } from "../../../kubernetes/objects.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";
import { addLogEnrichment, podLogBlock } from "../pod-logs.js";
import { alertEnv, alertJobManifest, dnsLabel, uniqueJobName } from "./alert-job-manifest.js";
import { clusterWrite } from "./cluster-write.js";
import { latestJobPod, waitForJob } from "./job-completion.js";

const envVar = z
  .object({
    name: z.string().min(1),
    value: z.string().optional(),
    valueFrom: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const params = z.object({
  image: z.string().min(1).describe("The image of the job's container."),
  command: z.array(z.string()).min(1).describe('The command to run, as a list, e.g. ["sh", "-c", "echo $ALERT_NAME"].'),
  name: z
    .string()
    .optional()
    .describe("The base of the job's name, also its container's name; made DNS-1123 valid and unique with a random suffix. Default: the alert's name."),
  namespace: z.string().min(1).default("default").describe("The namespace to create the job in."),
  service_account: z.string().optional().describe("The service account the job's pod runs as. Default: the namespace's default one."),
  restart_policy: z.enum(["OnFailure", "Never"]).default("OnFailure").describe("The restart policy of the job's pod."),
  job_ttl_after_finished: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .default(120)
    .describe("Delete the job this many seconds after it finishes (ttlSecondsAfterFinished)."),
  notify: z.boolean().default(false).describe("Add the job's name and, when waiting for it, its status and log to the alert's finding."),
  wait_for_completion: z.boolean().default(true).describe("Wait for the job to finish; the action fails if it fails or does not finish in time."),
  completion_timeout: z
    .number()
    .int()
    .positive()
    .default(300)
    .describe("How many seconds to wait for the job to finish. The runner's action timeout still applies."),
  backoff_limit: z.number().int().nonnegative().optional().describe("How many times to retry the pod before the job fails. Default: Kubernetes' 6."),
  active_deadline_seconds: z.number().int().positive().optional().describe("Stop the job after it has run this many seconds."),
  env: z
    .array(envVar)
    .default([])
    .describe("More environment variables for the container, as in a pod spec: [{name, value}] or [{name, valueFrom: {secretKeyRef: ...}}]."),
});

/** Adds what a person asked for with `notify`: the job and how it ended, then its log. */
async function reportJob(ctx: Context, lines: readonly string[], logsOf?: { name: string; namespace: string }): Promise<void> {
  ctx.addEnrichment([markdown(lines.join("\n"))], { title: "Alert handling job" });
  if (!logsOf) return;
  let pod: Pod | undefined;
  try {
    pod = await latestJobPod(ctx, logsOf.name, logsOf.namespace);
  } catch (error) {
    ctx.logger.warn({ job: `${logsOf.namespace}/${logsOf.name}`, reason: errorMessage(error) }, "alert_handling_job: could not list the job's pods");
  }
  if (!pod) {
    ctx.addEnrichment([markdown(`No pod of job \`${logsOf.name}\` was found, so there is no log.`)], { title: "Logs" });
    return;
  }
  addLogEnrichment(ctx, await podLogBlock(ctx, pod, { filename: "job-runner-logs.txt" }));
}

/** alert_handling_job: runs a Kubernetes Job in response to an alert. */
export const alertHandlingJob = defineAction({
  name: "alert_handling_job",
  description:
    "Runs a Kubernetes Job in response to a Prometheus alert: one container with the image, command and environment given, plus the alert as environment variables: ALERT_NAME, ALERT_STATUS, ALERT_OBJ_KIND, ALERT_OBJ_NAME, ALERT_OBJ_NAMESPACE and ALERT_OBJ_NODE (when known), and ALERT_LABEL_<NAME> for every label. By default it waits for the job to finish and fails if the job fails or times out; with notify, the alert's finding gets the job's name, status and log.",
  event: EventClasses.PrometheusAlert,
  params,
  permissions: [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get"] }],
  async run(event, p, ctx) {
    const base = p.name ?? event.alertName;
    const name = uniqueJobName(base);
    const namespace = p.namespace;
    const job = alertJobManifest({
      name,
      namespace,
      container: dnsLabel(base) || "robusta-action-job",
      image: p.image,
      command: p.command,
      env: alertEnv(
        event,
        p.env.map((v) => ({ name: v.name, ...(v.value !== undefined && { value: v.value }), ...(v.valueFrom && { valueFrom: v.valueFrom as EnvVarSource }) })),
      ),
      restartPolicy: p.restart_policy,
      serviceAccount: p.service_account,
      backoffLimit: p.backoff_limit,
      activeDeadlineSeconds: p.active_deadline_seconds,
      ttlSecondsAfterFinished: p.job_ttl_after_finished,
    });
    await clusterWrite(`create job ${namespace}/${name}`, () => ctx.cluster.create(job));
    const target = `${namespace}/${name}`;
    ctx.logger.info({ job: target, alert: event.alertName }, "alert_handling_job: created the job");
    const created = `*Created Job from alert*: \`${target}\``;
    if (!p.wait_for_completion) {
      if (p.notify) await reportJob(ctx, [created]);
      return;
    }

    const outcome = await waitForJob(ctx, name, namespace, p.completion_timeout);
    if (!outcome) {
      if (p.notify) await reportJob(ctx, [created, `*Status:* Timed out after ${p.completion_timeout} s, could not fetch output.`]);
      throw new Error(`alert_handling_job: Job ${target} did not finish within ${p.completion_timeout} s`);
    }
    ctx.logger.info({ job: target, succeeded: outcome.succeeded }, "alert_handling_job: the job finished");
    if (p.notify) await reportJob(ctx, [created, `*Status:* ${outcome.succeeded ? "Succeeded" : `Failed (${outcome.reason})`}`], { name, namespace });
    if (!outcome.succeeded) throw new Error(`alert_handling_job: Job ${target} failed: ${outcome.reason}`);
  },
});
