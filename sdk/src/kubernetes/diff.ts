/**
 * Field-level differences between two versions of a Kubernetes object, as change_filters and
 * change tracking (resource_babysitter) report them: one `FieldDiff` per changed leaf, with its
 * path (`spec.template.spec.containers[0].image`) and both values. Pure and allocation-light:
 * nothing is copied but the objects along the paths that are ignored.
 */
import type { FieldDiff } from "../findings/blocks.js";
import type { KubernetesObject, Pod } from "./objects.js";
import { formatPath, parsePath, withoutPath, type PathSegment } from "./object-path.js";
import { cutPodSpec, isCutPodSpec } from "./pod-projection.js";

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Absent, null, {} and [] all mean "nothing here": an API server adding an empty map is no change. */
const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (isPlainObject(value) && Object.keys(value).length === 0);

function walk(before: unknown, after: unknown, path: PathSegment[], out: FieldDiff[]): void {
  if (before === after || (isEmpty(before) && isEmpty(after))) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(before[i], after[i], [...path, i], out);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) walk(before[key], after[key], [...path, key], out);
    return;
  }
  // A leaf that changed, or a subtree added, removed or changed in type: one diff for all of it.
  out.push({
    path: formatPath(path),
    ...(!isEmpty(before) && { old: before }),
    ...(!isEmpty(after) && { new: after }),
  });
}

/** The differences between two values, leaf by leaf; added or removed subtrees are one diff each. */
export function diffValues(before: unknown, after: unknown): FieldDiff[] {
  const out: FieldDiff[] = [];
  walk(before, after, [], out);
  return out;
}

const parsed = new Map<string, PathSegment[]>();

/** Parses a path once: change_filters' paths come from configuration and recur with every event. */
function segmentsOf(path: string): PathSegment[] {
  let segments = parsed.get(path);
  if (!segments) {
    segments = parsePath(path);
    parsed.set(path, segments);
  }
  return segments;
}

/** A copy of `obj` without the fields at `paths` (dotted, as change_filters' `ignore`); shares the rest. */
export function withoutFields<T>(obj: T, paths: readonly string[]): T {
  return paths.reduce((current, path) => withoutPath(current, segmentsOf(path)), obj);
}

export interface DiffOptions {
  /** Paths to leave out of the comparison, e.g. ["status", "metadata.resourceVersion"]. */
  readonly ignore?: readonly string[];
  /** The objects' kind, when they may lack `kind` (kubewatch omits it). */
  readonly kind?: string;
}

/** Cuts the whole pod's spec when the other's was cut by the watch, so only comparable fields are compared. */
function comparablePods(before: Pod, after: Pod): [Pod, Pod] {
  const beforeCut = isCutPodSpec(before.spec);
  const afterCut = isCutPodSpec(after.spec);
  if (beforeCut === afterCut) return [before, after];
  const cut = (pod: Pod): Pod => (pod.spec ? { ...pod, spec: cutPodSpec(pod.spec) } : pod);
  return beforeCut ? [before, cut(after)] : [cut(before), after];
}

/**
 * What changed from `before` to `after`, leaving out `ignore`d paths. For Pods, a spec cut down by
 * the runner's watch (the usual `oldObj` of a pod update) is compared with the other pod's spec
 * cut the same way, so fields the cached version lacks are not reported as removed.
 */
export function diffObjects(before: KubernetesObject | undefined, after: KubernetesObject | undefined, options: DiffOptions = {}): FieldDiff[] {
  let [a, b] = [before, after];
  if (a && b && (options.kind ?? b.kind ?? a.kind) === "Pod") [a, b] = comparablePods(a as Pod, b as Pod);
  const ignore = options.ignore ?? [];
  return diffValues(withoutFields(a, ignore), withoutFields(b, ignore));
}
