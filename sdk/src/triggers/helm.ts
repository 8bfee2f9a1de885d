/**
 * The Helm release triggers (Robusta §4.3): a release stuck pending, a release that failed, a
 * release deployed. Their events come from the runner's Helm release monitor, which reads the
 * release records Helm keeps in the cluster.
 */
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { HelmReleaseEvent, HelmReleaseStatus } from "../events/model.js";
import type { IncomingEvent, TriggerEnv, TriggerType } from "./trigger.js";

/** Statuses a release should only pass through (Robusta's UNHEALTHY_STATUSES). */
export const HELM_UNHEALTHY_STATUSES: readonly HelmReleaseStatus[] = ["pending-install", "pending-upgrade", "pending-rollback", "uninstalling"];
/** Statuses of a release that went wrong (Robusta's FAILED_STATUSES). */
export const HELM_FAILED_STATUSES: readonly HelmReleaseStatus[] = ["failed", "unknown"];
/** The status of a release that went right. */
export const HELM_DEPLOYED_STATUSES: readonly HelmReleaseStatus[] = ["deployed"];

/**
 * The default rate limit of the fail and deploy triggers: once per revision. Robusta's is
 * `sys.maxsize`; a week does the same here (the monitor reports a revision's outcome once, and
 * revisions deployed before the runner started never fire) without piling up saved marks.
 */
const ONCE = 7 * 24 * 3600;

const names = z.array(z.string()).default([]).describe("Fire only for releases with one of these names; empty: every release.");
const namespace = z.string().optional().describe("Fire only for releases in this namespace; default: every namespace.");

const unhealthyParams = z
  .object({
    rate_limit: z
      .number()
      .int()
      .nonnegative()
      .describe("Fire at most once in this many seconds per release while it stays unhealthy (0: every time the monitor looks)."),
    names,
    namespace,
    duration: z
      .number()
      .int()
      .nonnegative()
      .default(900)
      .describe("Fire only once the release has been unhealthy for this many seconds (0: at once)."),
  })
  .strict();

const outcomeParams = z
  .object({
    names,
    namespace,
    rate_limit: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("Fire at most once in this many seconds per release revision; default: once per revision."),
  })
  .strict();

/** What a Helm release trigger is, beyond its parameters. */
interface HelmRule {
  /** Robusta's trigger class: the start of its rate-limit keys. */
  readonly id: string;
  readonly statuses: readonly HelmReleaseStatus[];
  /**
   * Whether each revision is rate-limited apart, and only revisions deployed since the runner
   * started fire (Robusta: every trigger but the unhealthy one).
   */
  readonly perRevision: boolean;
}

/** Robusta's HelmReleaseBaseTrigger.should_fire, for one rule; `duration` in seconds. */
function helmFires(
  rule: HelmRule,
  incoming: IncomingEvent,
  p: { names: readonly string[]; namespace?: string | undefined; rate_limit?: number | undefined },
  duration: number,
  env: TriggerEnv,
): HelmReleaseEvent | undefined {
  if (incoming.source !== "helm") return undefined;
  const release = incoming.helmRelease;
  if (!rule.statuses.includes(release.status)) return undefined;
  if (p.names.length > 0 && !p.names.includes(release.name)) return undefined;
  if (p.namespace && release.namespace !== p.namespace) return undefined;
  // Written so that a time that does not parse never fires.
  if (duration > 0 && !(env.now.getTime() - Date.parse(incoming.statusSince) >= duration * 1000)) return undefined;
  let key = `${rule.id}_${env.playbook}/${release.namespace}:${release.name}`;
  if (rule.perRevision) {
    // A revision deployed before the runner started is old news.
    if (env.startedAt !== undefined && !(Date.parse(release.lastDeployed) >= env.startedAt.getTime())) return undefined;
    key += `#${release.revision}`;
  }
  return env.markAndTest(key, p.rate_limit ?? ONCE) ? incoming : undefined;
}

const UNHEALTHY: HelmRule = { id: "HelmReleaseUnhealthyTrigger", statuses: HELM_UNHEALTHY_STATUSES, perRevision: false };
const FAILED: HelmRule = { id: "HelmReleaseFailTrigger", statuses: HELM_FAILED_STATUSES, perRevision: true };
const DEPLOYED: HelmRule = { id: "HelmReleaseDeployTrigger", statuses: HELM_DEPLOYED_STATUSES, perRevision: true };

/** on_helm_release_unhealthy: a release stuck installing, upgrading, rolling back or uninstalling. */
export const onHelmReleaseUnhealthyType: TriggerType<"on_helm_release_unhealthy", typeof unhealthyParams, HelmReleaseEvent> = {
  name: "on_helm_release_unhealthy",
  description:
    "Fires when a Helm release has been pending-install, pending-upgrade, pending-rollback or uninstalling for at least `duration` seconds, then again every `rate_limit` seconds while it stays so. The runner polls Helm's release Secrets for it (needs read access to Secrets; see DISABLE_HELM_MONITORING).",
  source: "helm",
  kinds: [],
  eventClass: EventClasses.HelmReleases,
  params: unhealthyParams,
  fires: (incoming, p, env) => helmFires(UNHEALTHY, incoming, p, p.duration, env),
};

/** on_helm_release_fail: a release revision failed. */
export const onHelmReleaseFailType: TriggerType<"on_helm_release_fail", typeof outcomeParams, HelmReleaseEvent> = {
  name: "on_helm_release_fail",
  description:
    "Fires when a Helm release revision fails (status failed or unknown), once per revision by default; only for revisions deployed after the runner started. The runner polls Helm's release Secrets for it (needs read access to Secrets; see DISABLE_HELM_MONITORING).",
  source: "helm",
  kinds: [],
  eventClass: EventClasses.HelmReleases,
  params: outcomeParams,
  fires: (incoming, p, env) => helmFires(FAILED, incoming, p, 0, env),
};

/** on_helm_release_deploy: a release revision was deployed. */
export const onHelmReleaseDeployType: TriggerType<"on_helm_release_deploy", typeof outcomeParams, HelmReleaseEvent> = {
  name: "on_helm_release_deploy",
  description:
    "Fires when a Helm release revision deployed after the runner started reaches status deployed, once per revision by default. The runner polls Helm's release Secrets for it (needs read access to Secrets; see DISABLE_HELM_MONITORING).",
  source: "helm",
  kinds: [],
  eventClass: EventClasses.HelmReleases,
  params: outcomeParams,
  fires: (incoming, p, env) => helmFires(DEPLOYED, incoming, p, 0, env),
};
