/**
 * The cut-down pod spec the runner's watch caches (docs/adr/0004): of the spec only the node, the
 * service account, the priority class and the containers' names, images and resources. A pod
 * update's `oldObj` from the runner's own watches (or from a forwarder running this code) has
 * such a spec, so a diff must cut the new pod the same way before comparing.
 */
import type { Container, PodSpec } from "kubernetes-types/core/v1.js";

const KEPT_SPEC_FIELDS: ReadonlySet<string> = new Set(["containers", "initContainers", "nodeName", "serviceAccountName", "priorityClassName"]);
const KEPT_CONTAINER_FIELDS: ReadonlySet<string> = new Set(["name", "image", "resources"]);

const cutContainer = ({ name, image, resources }: Container): Container => ({
  name,
  ...(image !== undefined && { image }),
  ...(resources !== undefined && { resources }),
});

/** A new pod spec with only what the watch caches of it. */
export function cutPodSpec(spec: PodSpec): PodSpec {
  const { nodeName, containers, initContainers, serviceAccountName, priorityClassName } = spec;
  return {
    containers: (containers ?? []).map(cutContainer),
    ...(initContainers && { initContainers: initContainers.map(cutContainer) }),
    ...(nodeName !== undefined && { nodeName }),
    ...(serviceAccountName !== undefined && { serviceAccountName }),
    ...(priorityClassName !== undefined && { priorityClassName }),
  };
}

const onlyKept = (value: object, kept: ReadonlySet<string>) => Object.keys(value).every((key) => kept.has(key));

/**
 * Whether `spec` has nothing beyond what `cutPodSpec` keeps. Decided from the spec's shape, not
 * from a mark on the object, because the cut object may have crossed the wire (a forwarder posts
 * its cached pod as JSON). A whole pod spec from an API server never passes: the server always
 * defaults fields the cut drops (restartPolicy, dnsPolicy, schedulerName, a container's
 * terminationMessagePath, imagePullPolicy, ...). A spec that passes loses nothing by being cut.
 */
export function isCutPodSpec(spec: PodSpec | undefined): boolean {
  if (!spec || typeof spec !== "object") return false;
  if (!onlyKept(spec, KEPT_SPEC_FIELDS)) return false;
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  return containers.every((container) => typeof container === "object" && container !== null && onlyKept(container, KEPT_CONTAINER_FIELDS));
}
