import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { table, type TableCell } from "../../../findings/blocks.js";
import type { Job } from "../../../kubernetes/objects.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";
import { containerAmounts, cores, mebibytes, type Amounts } from "./pod-resources.js";

/** Running while it has active pods; else its condition that holds (Complete, Failed, ...), as Robusta words it. */
function jobStatus(job: Job): { status: string; message?: string | undefined } {
  if (job.status?.active) return { status: "Running" };
  const holding = job.status?.conditions?.find((c) => c.status === "True");
  return holding ? { status: holding.type, message: holding.message } : { status: "Unknown" };
}

/** When it ended: completed, or failed (a failed job has no completionTime). */
function endTime(job: Job): string | undefined {
  return job.status?.completionTime ?? job.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True")?.lastTransitionTime;
}

/** "1h 2m 3s". */
function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const parts = [
    [Math.floor(seconds / 3600), "h"],
    [Math.floor((seconds % 3600) / 60), "m"],
    [seconds % 60, "s"],
  ] as const;
  return parts.filter(([n], i) => n > 0 || i === 2).map(([n, unit]) => `${n}${unit}`).join(" ");
}

const requestLimit = (requests: Amounts, limits: Amounts, resource: "cpu" | "memory"): string => {
  const show = (amounts: Amounts) =>
    amounts[resource] === undefined ? "None" : String(resource === "cpu" ? cores(amounts[resource]) : mebibytes(amounts[resource]));
  return `${show(requests)}/${show(limits)}`;
};

/** job_info_enricher: the job's status, completions, failures, timing and containers as a table. */
export const jobInfoEnricher = defineAction({
  name: "job_info_enricher",
  description:
    'Adds a "Job information" table: the job\'s status (Running while it has active pods, else the condition that holds, such as Complete or Failed, with its message), completions (succeeded/wanted), failures, backoff limit, duration (start and end, and how long it ran), and for each container its name, image, cpu in cores and memory in MiB (request/limit).',
  event: EventClasses.Job,
  params: z.object({}),
  run(event, _params, ctx) {
    const found = eventObject(event.job, ctx, "job_info_enricher", "job");
    if (!found) return;
    const job = found.obj;
    const { status, message } = jobStatus(job);
    const start = job.status?.startTime;
    const end = endTime(job);
    const ran = start && end ? ` (${elapsed(Date.parse(end) - Date.parse(start))})` : "";
    const rows: [string, TableCell][] = [
      ["status", status],
      ...(message ? ([["message", message]] as [string, TableCell][]) : []),
      ["completions", `${job.status?.succeeded ?? 0}/${job.spec?.completions ?? 1}`],
      ["failures", `${job.status?.failed ?? 0}`],
      ["backoffLimit", `${job.spec?.backoffLimit ?? 6}`],
      ["duration", `${start ?? "None"} - ${end ?? "None"}${ran}`],
      ["containers", "------------------"],
    ];
    const podSpec = job.spec?.template.spec;
    for (const container of [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])]) {
      const requests = containerAmounts(container, "requests");
      const limits = containerAmounts(container, "limits");
      rows.push(
        ["name", container.name],
        ["image", container.image ?? null],
        ["cpu (request/limit)", requestLimit(requests, limits, "cpu")],
        ["memory MB (request/limit)", requestLimit(requests, limits, "memory")],
      );
    }
    ctx.addEnrichment([table(rows, { headers: ["description", "value"], name: "Job information" })]);
  },
});
