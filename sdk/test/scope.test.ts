import { describe, expect, it } from "vitest";
import {
  onDeploymentUpdate,
  onPodCrashLoop,
  onPodUpdate,
  parseTriggerParams,
  RateLimiter,
  TriggerParamsError,
  triggerType,
  type Deployment,
  type IncomingEvent,
  type Pod,
  type Trigger,
  type TriggerEnv,
} from "../src/index.js";
import { fixtures } from "../src/testing/index.js";
import { envFor } from "./support/trigger-env.js";

const env = (limiter = new RateLimiter()): TriggerEnv => envFor("pb", limiter);

function fires(trigger: Trigger, incoming: IncomingEvent, triggerEnv: TriggerEnv = env()): boolean {
  const type = triggerType(trigger.spec.name)!;
  return type.fires(incoming, parseTriggerParams(type, trigger.spec.params), triggerEnv) !== undefined;
}

const podUpdate = (options: Parameters<typeof fixtures.pod>[0] & { annotations?: Record<string, string> } = {}) => {
  const pod = fixtures.pod(options);
  if (options.annotations) pod.metadata!.annotations = options.annotations;
  return fixtures.change("update", pod, pod);
};

/** The message of the TriggerParamsError `make` throws. */
function errorOf(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(TriggerParamsError);
    return (error as Error).message;
  }
  throw new Error("expected a TriggerParamsError");
}

describe("scope on Kubernetes triggers", () => {
  it("matches name and namespace as whole-value regexes: a partial match does not count", () => {
    expect(fires(onPodUpdate({ scope: { include: [{ name: "web-.*" }] } }), podUpdate({ name: "web-0" }))).toBe(true);
    expect(fires(onPodUpdate({ scope: { include: [{ name: "web" }] } }), podUpdate({ name: "web-0" }))).toBe(false);
    expect(fires(onPodUpdate({ scope: { include: [{ name: "eb-0" }] } }), podUpdate({ name: "web-0" }))).toBe(false);
    expect(fires(onPodUpdate({ scope: { include: [{ namespace: "prod" }] } }), podUpdate({ namespace: "prod-eu" }))).toBe(false);
  });

  it("accepts a list of regexes, any of which may match", () => {
    const trigger = onPodUpdate({ scope: { include: [{ namespace: ["prod", "staging-.*"] }] } });
    expect(fires(trigger, podUpdate({ namespace: "prod" }))).toBe(true);
    expect(fires(trigger, podUpdate({ namespace: "staging-2" }))).toBe(true);
    expect(fires(trigger, podUpdate({ namespace: "dev" }))).toBe(false);
  });

  it("needs every field of a rule to match, and one include rule to match", () => {
    const both = onPodUpdate({ scope: { include: [{ name: "web-.*", namespace: "prod" }] } });
    expect(fires(both, podUpdate({ name: "web-0", namespace: "prod" }))).toBe(true);
    expect(fires(both, podUpdate({ name: "web-0", namespace: "dev" }))).toBe(false);
    const either = onPodUpdate({ scope: { include: [{ name: "web-.*" }, { namespace: "prod" }] } });
    expect(fires(either, podUpdate({ name: "api-0", namespace: "prod" }))).toBe(true);
    expect(fires(either, podUpdate({ name: "api-0", namespace: "dev" }))).toBe(false);
  });

  it("checks exclude first: an excluded object never fires, even when included", () => {
    const trigger = onPodUpdate({ scope: { include: [{ namespace: "prod" }], exclude: [{ name: "web-.*" }] } });
    expect(fires(trigger, podUpdate({ name: "web-0", namespace: "prod" }))).toBe(false);
    expect(fires(trigger, podUpdate({ name: "api-0", namespace: "prod" }))).toBe(true);
    // Exclude alone: everything else fires.
    const excludeOnly = onPodUpdate({ scope: { exclude: [{ namespace: "kube-system" }] } });
    expect(fires(excludeOnly, podUpdate({ namespace: "kube-system" }))).toBe(false);
    expect(fires(excludeOnly, podUpdate({ namespace: "anything" }))).toBe(true);
  });

  describe("labels and annotations", () => {
    const labels = { app: "web-frontend", tier: "front" };

    it("need every condition of one expression (=, != and regexes, whole values)", () => {
      const trigger = (expression: string) => onPodUpdate({ scope: { include: [{ labels: [expression] }] } });
      expect(fires(trigger("app=web.*, tier!=db"), podUpdate({ labels }))).toBe(true);
      expect(fires(trigger("app=web.*, tier!=fr.*"), podUpdate({ labels }))).toBe(false);
      expect(fires(trigger("app=web"), podUpdate({ labels }))).toBe(false); // partial match
      expect(fires(trigger("app!=web"), podUpdate({ labels }))).toBe(true); // partial match is no match
      expect(fires(trigger("app = web-frontend , tier = front"), podUpdate({ labels }))).toBe(true);
    });

    it("fail a condition on a missing label, with = and != alike (as Robusta)", () => {
      expect(fires(onPodUpdate({ scope: { include: [{ labels: "team=.*" }] } }), podUpdate({ labels }))).toBe(false);
      expect(fires(onPodUpdate({ scope: { include: [{ labels: "team!=x" }] } }), podUpdate({ labels }))).toBe(false);
    });

    it("match when any expression of the list holds", () => {
      const trigger = onPodUpdate({ scope: { include: [{ labels: ["app=api", "tier=front"] }] } });
      expect(fires(trigger, podUpdate({ labels }))).toBe(true);
      expect(fires(trigger, podUpdate({ labels: { app: "db", tier: "back" } }))).toBe(false);
    });

    it("match annotations the same way", () => {
      const annotated = podUpdate({ annotations: { "team.example.com/owner": "payments" } });
      expect(fires(onPodUpdate({ scope: { exclude: [{ annotations: "team.example.com/owner=pay.*" }] } }), annotated)).toBe(false);
      expect(fires(onPodUpdate({ scope: { exclude: [{ annotations: "team.example.com/owner=search" }] } }), annotated)).toBe(true);
    });

    it("are case-insensitive with Python's leading (?i)", () => {
      expect(fires(onPodUpdate({ scope: { include: [{ labels: "app=(?i)WEB-.*" }] } }), podUpdate({ labels }))).toBe(true);
      expect(fires(onPodUpdate({ scope: { include: [{ labels: "app=WEB-.*" }] } }), podUpdate({ labels }))).toBe(false);
    });
  });

  describe("attributes", () => {
    const pod = (): Pod => fixtures.pod({ name: "web-0", containers: ["istio-proxy", "app"] });

    it("follow paths with array indexes into the raw object, comparing leaves case-insensitively", () => {
      const exclude = (expression: string) => onPodUpdate({ scope: { exclude: [{ attributes: [expression] }] } });
      const update = fixtures.change("update", pod(), pod());
      expect(fires(exclude("spec.containers[0].name=ISTIO-PROXY"), update)).toBe(false);
      expect(fires(exclude("spec.containers[1].name=istio-proxy"), update)).toBe(true);
      expect(fires(exclude("spec.containers.0.name=istio-proxy"), update)).toBe(false); // pydash's index form
      expect(fires(exclude("status.phase=running, spec.containers[1].name=app"), update)).toBe(false);
      expect(fires(exclude("status.phase!=Running"), update)).toBe(true);
      expect(fires(exclude("status.phase!=Pending"), update)).toBe(false);
    });

    it("never match a missing path or a value that is not a leaf", () => {
      const include = (expression: string) => onPodUpdate({ scope: { include: [{ attributes: expression }] } });
      const update = fixtures.change("update", pod(), pod());
      expect(fires(include("spec.containers[5].name=app"), update)).toBe(false);
      expect(fires(include("spec.containers[5].name!=app"), update)).toBe(false);
      expect(fires(include("spec.containers=app"), update)).toBe(false);
    });

    it("read the fields of any kind", () => {
      const deployment = (replicas: number): Deployment => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas, selector: {}, template: {} } });
      const trigger = onDeploymentUpdate({ scope: { include: [{ attributes: "spec.replicas=3" }] } });
      expect(fires(trigger, fixtures.change("update", deployment(3), deployment(2)))).toBe(true);
      expect(fires(trigger, fixtures.change("update", deployment(1), deployment(3)))).toBe(false);
    });
  });

  it("applies to smart triggers before their rate limit, so an excluded pod does not use it up", () => {
    const limiter = new RateLimiter();
    const healthy = (name: string, namespace: string) => fixtures.pod({ name, namespace, ownerReplicaSet: "api-7f9c" });
    const crashing = (base: Pod) => fixtures.change("update", fixtures.crashLoopingPod(base, { restartCount: 3 }), base);
    const trigger = onPodCrashLoop({ scope: { exclude: [{ name: "api-canary-.*" }] } });
    expect(fires(trigger, crashing(healthy("api-canary-1", "prod")), env(limiter))).toBe(false);
    expect(fires(trigger, crashing(healthy("api-7f9c-aaaaa", "prod")), env(limiter))).toBe(true);
  });

  describe("is validated when the parameters are parsed", () => {
    it("rejecting an invalid regex, naming it and where it is", () => {
      const message = errorOf(() => onPodUpdate({ scope: { include: [{ name: ["web-.*", "(web"] }] } }));
      expect(message).toContain("on_pod_update");
      expect(message).toContain("scope.include.0.name.1");
      expect(message).toContain('invalid regular expression "(web"');
      expect(errorOf(() => onPodUpdate({ scope: { exclude: [{ labels: "app=[web" }] } }))).toContain('invalid regular expression "[web" in "app=[web"');
    });

    it("rejecting a malformed label or attribute expression", () => {
      expect(errorOf(() => onPodUpdate({ scope: { include: [{ labels: ["app=web", "tier"] }] } }))).toMatch(
        /scope\.include\.0\.labels\.1: "tier" in "tier" is not a label condition: write key=value or key!=value/,
      );
      expect(errorOf(() => onPodUpdate({ scope: { include: [{ labels: "=web" }] } }))).toContain("is not a label condition");
      expect(errorOf(() => onPodUpdate({ scope: { include: [{ attributes: "spec.containers[x].name=a" }] } }))).toContain(
        '"[x]" must be an index like [0] or a quoted key',
      );
    });

    it("rejecting an empty scope, an empty rule and a field scopes do not have", () => {
      expect(errorOf(() => onPodUpdate({ scope: {} }))).toContain("scope needs include, exclude or both");
      expect(errorOf(() => onPodUpdate({ scope: { include: [] } }))).toContain("scope.include: must not be empty");
      expect(errorOf(() => onPodUpdate({ scope: { include: [{}] } }))).toContain("scope.include.0: a rule needs at least one of name, namespace, labels, annotations, attributes");
      expect(errorOf(() => onPodUpdate({ scope: { include: [{ title: "x" } as never] } }))).toContain("title");
    });
  });
});
