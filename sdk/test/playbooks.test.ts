import { describe, expect, it } from "vitest";
import {
  EXPERIMENTAL_DECORATORS_MESSAGE,
  Playbook,
  REGISTRY_VERSION,
  collectPlaybooks,
  definePlaybook,
  logsEnricher,
  onPodCrashLoop,
  onPodCreate,
  onPodDelete,
  onPodOomKilled,
  onPrometheusAlert,
  playbook,
  registryData,
  type Context,
  type PodEvent,
} from "../src/index.js";
import { TestContext } from "./support/test-context.js";

const noop = () => undefined;

describe("decorated classes and definePlaybook", () => {
  class CrashLoops extends Playbook {
    @onPodCrashLoop({ restartCount: 3 })
    async report(_event: PodEvent, _ctx: Context) {}

    @onPodOomKilled()
    @playbook({ name: "oom", sinks: ["slack-oncall"], stop: true })
    async oom(_event: PodEvent, _ctx: Context) {}
  }

  const equivalent = [
    definePlaybook({ name: "CrashLoops.report", triggers: [onPodCrashLoop({ restartCount: 3 })], run: noop }),
    definePlaybook({ name: "oom", triggers: [onPodOomKilled()], sinks: ["slack-oncall"], stop: true, run: noop }),
  ];

  it("produce identical registry data", () => {
    expect(registryData(collectPlaybooks([CrashLoops]))).toEqual(registryData(equivalent));
  });

  it("registry data is versioned and survives JSON", () => {
    const data = registryData(collectPlaybooks([CrashLoops]));
    expect(data.version).toBe(REGISTRY_VERSION);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(data.playbooks[0]).toEqual({ name: "CrashLoops.report", triggers: [{ name: "on_pod_crash_loop", params: { restart_count: 3 } }] });
  });

  it("names a decorated method Class.method unless @playbook names it", () => {
    expect(collectPlaybooks([CrashLoops]).map((p) => p.data.name)).toEqual(["CrashLoops.report", "oom"]);
  });

  it("puts @playbook's sinks and stop in the data, whether written above or below the trigger", () => {
    class Options extends Playbook {
      @playbook({ sinks: ["teams"], stop: false })
      @onPodCreate()
      above(_event: PodEvent) {}

      @onPodCreate()
      @playbook({ sinks: ["slack"], stop: true })
      below(_event: PodEvent) {}
    }
    const [above, below] = collectPlaybooks([Options]).map((p) => p.data);
    expect(above).toMatchObject({ name: "Options.above", sinks: ["teams"], stop: false });
    expect(below).toMatchObject({ name: "Options.below", sinks: ["slack"], stop: true });
  });

  it("leaves sinks and stop out when not given", () => {
    const [data] = collectPlaybooks([CrashLoops]).map((p) => p.data);
    expect(data).not.toHaveProperty("sinks");
    expect(data).not.toHaveProperty("stop");
  });

  it("keeps stacked trigger decorators in source order", () => {
    class Stacked extends Playbook {
      @onPodCreate()
      @onPrometheusAlert({ alertName: "KubePodCrashLooping" })
      @onPodDelete()
      handle(_event: PodEvent) {}
    }
    const [data] = collectPlaybooks([Stacked]).map((p) => p.data);
    expect(data?.triggers.map((t) => t.name)).toEqual(["on_pod_create", "on_prometheus_alert", "on_pod_delete"]);
  });

  it("runs a decorated method on an instance of its class", async () => {
    const calls: string[] = [];
    class WithState extends Playbook {
      private readonly prefix = "seen";
      @onPodCreate()
      handle(event: PodEvent) {
        calls.push(`${this.prefix} ${event.pod?.metadata?.name}`);
      }
    }
    const [definition] = collectPlaybooks([WithState]);
    await definition?.run?.({ source: "kubernetes", id: "1", pod: { metadata: { name: "web-0" } } } as PodEvent, new TestContext());
    expect(calls).toEqual(["seen web-0"]);
  });

  it("runs a definePlaybook's run with the object as this", async () => {
    const definition = definePlaybook({
      name: "object",
      triggers: [onPodCreate()],
      greeting: "hello",
      run(_event, ctx) {
        ctx.addEnrichment([{ type: "markdown", text: this.greeting }]);
      },
    } as Parameters<typeof definePlaybook>[0] & { greeting: string });
    const ctx = new TestContext();
    await definition.run?.({ source: "kubernetes", id: "1" } as PodEvent, ctx);
    expect(ctx.blocks).toEqual([{ type: "markdown", text: "hello" }]);
  });

  it("collects decorated methods inherited from a base class", () => {
    class Base extends Playbook {
      @onPodCreate()
      created(_event: PodEvent) {}
    }
    class Derived extends Base {
      @onPodDelete()
      deleted(_event: PodEvent) {}
    }
    const names = collectPlaybooks([Derived]).map((p) => p.data.name);
    expect(names).toEqual(expect.arrayContaining(["Derived.created", "Derived.deleted"]));
    expect(names).toHaveLength(2);
  });
});

describe("collectPlaybooks", () => {
  const a = definePlaybook({ name: "a", triggers: [onPodCreate()], run: noop });
  const b = definePlaybook({ name: "b", triggers: [onPodCreate()], run: noop });
  const c = definePlaybook({ name: "c", triggers: [onPodCreate()], run: noop });
  class K extends Playbook {
    @onPodDelete()
    k(_event: PodEvent) {}
  }

  it("reads only the exported playbooks array, in its order, when there is one", () => {
    const module = { a, K, playbooks: [c, K, a], other: b };
    expect(collectPlaybooks(module).map((p) => p.data.name)).toEqual(["c", "K.k", "a"]);
  });

  it("otherwise collects classes, definitions and arrays, each once", () => {
    const module = { a, K, group: [b, a, [c, K]], again: K };
    const names = collectPlaybooks(module).map((p) => p.data.name);
    expect(names.sort()).toEqual(["K.k", "a", "b", "c"]);
  });

  it("ignores exports that are not playbooks", () => {
    class NotAPlaybook {
      @onPodCreate()
      m(_event: PodEvent) {}
    }
    const module = { a, version: "1.0", helper: () => 1, action: logsEnricher, NotAPlaybook, nothing: null, config: { x: 1 } };
    expect(collectPlaybooks(module).map((p) => p.data.name)).toEqual(["a"]);
  });
});

describe("refusals", () => {
  it("refuses a playbook with no trigger", () => {
    expect(() => definePlaybook({ name: "silent", triggers: [], run: noop })).toThrow(/silent.*no trigger/);
  });

  it("refuses a decorated method that has @playbook but no trigger, instead of never running it", () => {
    class Forgotten extends Playbook {
      @playbook({ name: "forgotten", sinks: ["slack"] })
      handle(_event: PodEvent) {}
    }
    expect(() => collectPlaybooks([Forgotten])).toThrow(/forgotten.*no trigger/);
  });

  it("tells code compiled with legacy decorators how to fix its tsconfig", () => {
    class Legacy extends Playbook {
      handle(_event: PodEvent) {}
    }
    const descriptor = Object.getOwnPropertyDescriptor(Legacy.prototype, "handle");
    const legacyCall = (decorator: unknown) => () => (decorator as (...args: unknown[]) => unknown)(Legacy.prototype, "handle", descriptor);
    expect(legacyCall(onPodCrashLoop())).toThrow(EXPERIMENTAL_DECORATORS_MESSAGE);
    expect(legacyCall(playbook({ name: "x" }))).toThrow(EXPERIMENTAL_DECORATORS_MESSAGE);
    expect(EXPERIMENTAL_DECORATORS_MESSAGE).toContain("experimentalDecorators");
  });

  it("refuses a trigger decorator on a static method, naming the method", () => {
    expect(() => {
      class Statics extends Playbook {
        @onPodCreate()
        static handle(_event: PodEvent) {}
      }
      return Statics;
    }).toThrow(/static.*handle/);
  });
});
