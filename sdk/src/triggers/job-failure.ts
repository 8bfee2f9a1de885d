/** on_job_failure: a Job has just failed. */
import { EventClasses } from "../events/classes.js";
import type { JobChangeEvent } from "../events/model.js";
import type { Job } from "../kubernetes/objects.js";
import { changeOf, kubernetesParams } from "./kubernetes.js";
import type { TriggerType } from "./trigger.js";

const failed = (job: Job | undefined) => (job?.status?.conditions ?? []).some((c) => c.type === "Failed" && c.status === "True");

export const onJobFailureType: TriggerType<"on_job_failure", typeof kubernetesParams, JobChangeEvent> = {
  name: "on_job_failure",
  description: "Fires when a Job gets a Failed=True condition it did not have before (once per failure, not on every later update).",
  source: "kubernetes",
  kinds: ["Job"],
  eventClass: EventClasses.JobChange,
  params: kubernetesParams,
  fires(incoming, params) {
    const event = changeOf<JobChangeEvent>(incoming, "Job", ["update"], params);
    return event && failed(event.obj) && !failed(event.oldObj) ? event : undefined;
  },
};
