import { describe, expect, it } from "vitest";
import {
  builtinActions,
  type TableBlock,
  ActionRegistry,
  definePlaybook,
  Engine,
  markdown,
  onHelmReleaseDeploy,
  onHelmReleaseFail,
  onHelmReleaseUnhealthy,
  onPodUpdate,
  parseTriggerParams,
  RateLimiter,
  TRIGGER_TYPES,
  triggerType,
  TriggerParamsError,
  type HelmRelease,
  type HelmReleaseStatus,
  type IncomingEvent,
  type Trigger,
  type TriggerEnv,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger, fixtures } from "../src/testing/index.js";

const MINUTE = 60_000;
const STARTED = "2026-01-01T10:00:00Z";

/** The engine's trigger environment: a runner started at STARTED, time on a clock the test moves. */
function setup(playbook = "pb") {
  const clock = new FakeClock("2026-01-01T10:30:00Z");
  const limiter = new RateLimiter();
  const env: TriggerEnv = {
    playbook,
    get now() {
      return clock.now();
    },
    startedAt: new Date(STARTED),
    markAndTest: (key, seconds) => limiter.markAndTest(key, seconds, clock.now()),
  };
  const fires = (trigger: Trigger, incoming: IncomingEvent, on: TriggerEnv = env) => {
    const type = triggerType(trigger.spec.name)!;
    return type.fires(incoming, parseTriggerParams(type, trigger.spec.params), on) !== undefined;
  };
  return { clock, env, fires };
}

/** A release last deployed 20 minutes after the runner started. */
const release = (status: HelmReleaseStatus, extra: Partial<HelmRelease> = {}) =>
  fixtures.helmRelease({ name: "shop", namespace: "prod", status, lastDeployed: "2026-01-01T10:20:00Z", ...extra });

/** The monitor's event: in its status since `since`. */
const seen = (r: HelmRelease, since = r.lastDeployed) => fixtures.helmReleaseEvent(r, since);

const ALL_STATUSES: HelmReleaseStatus[] = ["unknown", "deployed", "uninstalled", "superseded", "failed", "uninstalling", "pending-install", "pending-upgrade", "pending-rollback"];

describe("on_helm_release_unhealthy", () => {
  const trigger = () => onHelmReleaseUnhealthy({ rateLimit: 3600, duration: 600 });

  it("requires rate_limit, and defaults duration to 900 seconds", () => {
    const type = triggerType("on_helm_release_unhealthy")!;
    expect(() => parseTriggerParams(type, {})).toThrow(TriggerParamsError);
    expect(() => parseTriggerParams(type, {})).toThrow(/rate_limit/);
    expect(parseTriggerParams(type, { rate_limit: 60 })).toMatchObject({ rate_limit: 60, duration: 900, names: [] });
  });

  it("fires only for pending and uninstalling releases", () => {
    const firing = ALL_STATUSES.filter((status) => setup().fires(trigger(), seen(release(status), "2026-01-01T10:00:00Z")));
    expect(firing.sort()).toEqual(["pending-install", "pending-rollback", "pending-upgrade", "uninstalling"]);
  });

  it("waits until the release has been unhealthy for `duration` seconds", () => {
    const { fires, clock } = setup();
    const pending = seen(release("pending-upgrade"), "2026-01-01T10:25:00Z"); // 5 minutes before the clock
    expect(fires(trigger(), pending)).toBe(false);
    clock.advance(4 * MINUTE);
    expect(fires(trigger(), pending)).toBe(false);
    clock.advance(MINUTE);
    expect(fires(trigger(), pending)).toBe(true);
  });

  it("with the default duration, waits 15 minutes", () => {
    const { fires, clock } = setup();
    const pending = seen(release("pending-install"), "2026-01-01T10:20:00Z");
    expect(fires(onHelmReleaseUnhealthy({ rateLimit: 60 }), pending)).toBe(false);
    clock.advance(5 * MINUTE);
    expect(fires(onHelmReleaseUnhealthy({ rateLimit: 60 }), pending)).toBe(true);
  });

  it("fires again every rate_limit seconds while the release stays unhealthy, per release", () => {
    const { fires, clock } = setup();
    const stuck = seen(release("pending-upgrade"), "2026-01-01T10:00:00Z");
    const other = seen(release("pending-upgrade", { name: "cart" }), "2026-01-01T10:00:00Z");
    expect(fires(trigger(), stuck)).toBe(true);
    expect(fires(trigger(), stuck)).toBe(false);
    expect(fires(trigger(), other)).toBe(true);
    clock.advance(59 * MINUTE);
    expect(fires(trigger(), stuck)).toBe(false);
    clock.advance(MINUTE);
    expect(fires(trigger(), stuck)).toBe(true);
  });

  it("keeps counting for a release stuck since before the runner started", () => {
    const { fires } = setup();
    const old = release("pending-upgrade", { lastDeployed: "2025-12-31T09:00:00Z" });
    expect(fires(trigger(), seen(old, "2026-01-01T10:00:00Z"))).toBe(true);
  });
});

describe("on_helm_release_fail", () => {
  it("fires for failed and unknown releases only", () => {
    const firing = ALL_STATUSES.filter((status) => setup().fires(onHelmReleaseFail(), seen(release(status))));
    expect(firing.sort()).toEqual(["failed", "unknown"]);
  });

  it("fires once per revision by default, and again for the next failed revision", () => {
    const { fires, clock } = setup();
    const failed = release("failed", { revision: 4 });
    expect(fires(onHelmReleaseFail(), seen(failed))).toBe(true);
    clock.advance(24 * 60 * MINUTE);
    expect(fires(onHelmReleaseFail(), seen(failed))).toBe(false);
    expect(fires(onHelmReleaseFail(), seen(release("failed", { revision: 5, lastDeployed: "2026-01-01T10:25:00Z" })))).toBe(true);
  });

  it("with a rate_limit, may fire again for the same revision once it has passed", () => {
    const { fires, clock } = setup();
    const failed = release("failed");
    expect(fires(onHelmReleaseFail({ rateLimit: 600 }), seen(failed))).toBe(true);
    expect(fires(onHelmReleaseFail({ rateLimit: 600 }), seen(failed))).toBe(false);
    clock.advance(10 * MINUTE);
    expect(fires(onHelmReleaseFail({ rateLimit: 600 }), seen(failed))).toBe(true);
  });

  it("does not fire for a revision deployed before the runner started", () => {
    const { fires } = setup();
    expect(fires(onHelmReleaseFail(), seen(release("failed", { lastDeployed: "2026-01-01T09:59:59Z" })))).toBe(false);
  });

  it("filters by names and namespace", () => {
    const failed = seen(release("failed"));
    expect(setup().fires(onHelmReleaseFail({ names: ["shop", "cart"] }), failed)).toBe(true);
    expect(setup().fires(onHelmReleaseFail({ names: ["cart"] }), failed)).toBe(false);
    expect(setup().fires(onHelmReleaseFail({ namespace: "prod" }), failed)).toBe(true);
    expect(setup().fires(onHelmReleaseFail({ namespace: "staging" }), failed)).toBe(false);
    expect(setup().fires(onHelmReleaseFail({ names: ["shop"], namespace: "staging" }), failed)).toBe(false);
  });

  it("counts each playbook apart", () => {
    const { fires, env } = setup("first");
    const failed = seen(release("failed"));
    expect(fires(onHelmReleaseFail(), failed)).toBe(true);
    expect(fires(onHelmReleaseFail(), failed, { ...env, playbook: "second" })).toBe(true);
    expect(fires(onHelmReleaseFail(), failed)).toBe(false);
  });
});

describe("on_helm_release_deploy", () => {
  it("fires for deployed releases only", () => {
    const firing = ALL_STATUSES.filter((status) => setup().fires(onHelmReleaseDeploy(), seen(release(status))));
    expect(firing).toEqual(["deployed"]);
  });

  it("fires only for revisions deployed after the runner started, once each", () => {
    const { fires } = setup();
    expect(fires(onHelmReleaseDeploy(), seen(release("deployed", { lastDeployed: "2026-01-01T09:00:00Z" })))).toBe(false);
    const fresh = seen(release("deployed", { revision: 2 }));
    expect(fires(onHelmReleaseDeploy(), fresh)).toBe(true);
    expect(fires(onHelmReleaseDeploy(), fresh)).toBe(false);
    expect(fires(onHelmReleaseDeploy(), seen(release("deployed", { revision: 3 })))).toBe(true);
  });

  it("shares no rate limit with on_helm_release_fail", () => {
    const { fires } = setup();
    expect(fires(onHelmReleaseFail(), seen(release("failed", { revision: 7 })))).toBe(true);
    expect(fires(onHelmReleaseDeploy(), seen(release("deployed", { revision: 7 })))).toBe(true);
  });

  it("ignores other events", () => {
    expect(setup().fires(onHelmReleaseDeploy(), fixtures.change("update", fixtures.pod()))).toBe(false);
  });
});

describe("Helm release triggers in the engine", () => {
  it("are listed after the smart triggers and before on_prometheus_alert, in Robusta's order", () => {
    const names = TRIGGER_TYPES.map((t) => t.name);
    const at = names.indexOf("on_helm_release_unhealthy");
    expect(names.slice(at, at + 4)).toEqual(["on_helm_release_unhealthy", "on_helm_release_fail", "on_helm_release_deploy", "on_prometheus_alert"]);
    expect(names.indexOf("on_kubernetes_resource_operation")).toBeLessThan(at);
  });

  it("run the playbook, whose default finding names the release, its chart version and status", async () => {
    const clock = new FakeClock(STARTED);
    const engine = new Engine({
      playbooks: [
        definePlaybook({ name: "helm-failures", triggers: [onHelmReleaseFail()], run: (event, ctx) => ctx.addEnrichment([markdown(`revision ${event.helmRelease.revision}`)]) }),
        definePlaybook({ name: "pods", triggers: [onPodUpdate()], run: () => undefined }),
      ],
      actions: new ActionRegistry([]),
      cluster: new InMemoryCluster(),
      logger: new MemoryLogger(),
      clock,
      defaultSinks: ["main"],
    });
    expect(engine.playbooksOnSource("helm")).toEqual(["helm-failures"]);
    clock.advance(10 * MINUTE);
    const failed = release("failed", { revision: 3, lastDeployed: "2026-01-01T10:05:00Z", chart: { name: "shop", version: "2.4.1" } });
    const result = await engine.handle(seen(failed));
    expect(result.runs.map((r) => r.playbook)).toEqual(["helm-failures"]);
    const finding = result.findings.get("main")?.[0];
    expect(finding).toMatchObject({
      title: "Helm release prod/shop - version: 2.4.1 - status: failed",
      aggregationKey: "Helm Release Info",
      severity: "HIGH",
      description: "Upgrade failed: timed out waiting for the condition",
      subject: { name: "shop", namespace: "prod", subjectType: "helmrelease" },
    });
    expect(finding?.enrichments[0]?.blocks).toEqual([markdown("revision 3")]);
    // Deployed before this engine started: old news.
    expect((await engine.handle(seen(release("failed", { revision: 2, lastDeployed: "2026-01-01T09:00:00Z" })))).runs).toEqual([]);
  });

  it("can be configured in YAML, with helm_status_enricher reporting what Helm says", async () => {
    const clock = new FakeClock(STARTED);
    const engine = new Engine({
      playbooks: [{ data: { name: "helm-yaml", triggers: [{ name: "on_helm_release_fail", params: {} }], actions: [{ helm_status_enricher: {} }] } }],
      actions: new ActionRegistry(builtinActions),
      cluster: new InMemoryCluster(),
      logger: new MemoryLogger(),
      clock,
      defaultSinks: ["main"],
    });
    clock.advance(10 * MINUTE);
    const failed = release("failed", { revision: 3, lastDeployed: "2026-01-01T10:05:00Z", chart: { name: "shop", version: "2.4.1", appVersion: "9.9" } });
    const finding = (await engine.handle(seen(failed))).findings.get("main")?.[0];
    const [details, said] = finding?.enrichments[0]?.blocks ?? [];
    expect(details).toMatchObject({ type: "table", name: "Helm release" });
    expect((details as TableBlock).rows).toEqual(
      expect.arrayContaining([
        ["status", "failed"],
        ["revision", "3"],
        ["chart", "shop-2.4.1"],
        ["app version", "9.9"],
      ]),
    );
    expect(said).toEqual(markdown("*Helm:* Upgrade failed: timed out waiting for the condition"));
  });
});
