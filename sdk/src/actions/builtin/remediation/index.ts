/** Remediation and operations: changes to the cluster, Jobs, HTTP calls (Robusta §5.6). */
import type { AnyAction } from "../../define.js";
import { alertHandlingJob } from "./alert-handling-job.js";
import { cordon, uncordon } from "./cordon.js";
import { deleteJob } from "./delete-job.js";
import { deleteAlertPod, deletePod } from "./delete-pod.js";
import { drain } from "./drain.js";
import { httpGet, httpPost, httpPut } from "./http-actions.js";
import { restartNamedRollout, rolloutRestart } from "./rollout-restart.js";

export {
  alertHandlingJob,
  cordon,
  deleteAlertPod,
  deleteJob,
  deletePod,
  drain,
  httpGet,
  httpPost,
  httpPut,
  restartNamedRollout,
  rolloutRestart,
  uncordon,
};

export const remediationActions: AnyAction[] = [
  deletePod,
  deleteAlertPod,
  deleteJob,
  rolloutRestart,
  restartNamedRollout,
  cordon,
  uncordon,
  drain,
  alertHandlingJob,
  httpGet,
  httpPost,
  httpPut,
];
