import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ActionRegistry,
  defineAction,
  definePlaybook,
  EventClasses,
  Engine,
  markdown,
  nextCronRun,
  onPodUpdate,
  onSchedule,
  onScheduleType,
  parseTriggerParams,
  PlaybookLoadError,
  TriggerParamsError,
  type PlaybookDefinition,
  type ScheduledEvent,
} from "../src/index.js";
import { FakeClock, InMemoryCluster, MemoryLogger } from "../src/testing/index.js";

/** An action any event can run, as a report run on a schedule would be. */
const note = defineAction({
  name: "note",
  description: "Adds a markdown line.",
  event: EventClasses.Base,
  params: z.object({ text: z.string().default("scheduled") }),
  run: (_event, params, ctx) => ctx.addEnrichment([markdown(params.text)]),
});

const parse = (params: unknown) => parseTriggerParams(onScheduleType, params);

function engine(playbooks: PlaybookDefinition[]) {
  return new Engine({
    playbooks,
    actions: new ActionRegistry([note]),
    cluster: new InMemoryCluster(),
    logger: new MemoryLogger(),
    clock: new FakeClock(),
    defaultSinks: ["main"],
    triggerTypes: [onScheduleType],
  });
}

const tick = (playbook: string, runCount = 0): ScheduledEvent => ({ source: "scheduler", id: `tick-${playbook}-${runCount}`, playbook, runCount });

describe("on_schedule parameters", () => {
  it("takes each of the three schedules, with Robusta's default of repeating forever", () => {
    expect(parse({ fixed_delay_repeat: { seconds_delay: 60 } })).toEqual({ fixed_delay_repeat: { repeat: -1, seconds_delay: 60 } });
    expect(parse({ fixed_delay_repeat: { repeat: 3, seconds_delay: 60 } }).fixed_delay_repeat?.repeat).toBe(3);
    expect(parse({ dynamic_delay_repeat: { delay_periods: [10, 20, 25] } })).toEqual({ dynamic_delay_repeat: { delay_periods: [10, 20, 25] } });
    expect(parse({ cron_schedule_repeat: { cron_expression: "*/5 * * * *" } })).toEqual({ cron_schedule_repeat: { cron_expression: "*/5 * * * *" } });
  });

  it("wants exactly one schedule", () => {
    expect(() => parse({})).toThrow("give exactly one of fixed_delay_repeat, dynamic_delay_repeat, cron_schedule_repeat");
    expect(() => parse({ fixed_delay_repeat: { seconds_delay: 60 }, cron_schedule_repeat: { cron_expression: "0 * * * *" } })).toThrow(
      "(got fixed_delay_repeat, cron_schedule_repeat)",
    );
  });

  it("names a bad cron expression and what is wrong with it", () => {
    expect(() => parse({ cron_schedule_repeat: { cron_expression: "61 * * * *" } })).toThrow(
      /cron_schedule_repeat\.cron_expression: invalid cron expression "61 \* \* \* \*": .*minute/,
    );
    expect(() => parse({ cron_schedule_repeat: { cron_expression: "every hour" } })).toThrow('invalid cron expression "every hour"');
  });

  it("refuses delays that are not positive, an empty delay list, a repeat of 0 and unknown keys", () => {
    expect(() => parse({ fixed_delay_repeat: { seconds_delay: 0 } })).toThrow(/fixed_delay_repeat\.seconds_delay/);
    expect(() => parse({ fixed_delay_repeat: { seconds_delay: 60, repeat: 0 } })).toThrow("must be -1 (run forever) or at least 1");
    expect(() => parse({ dynamic_delay_repeat: { delay_periods: [] } })).toThrow("give at least one delay");
    expect(() => parse({ dynamic_delay_repeat: { delay_periods: [10, -1] } })).toThrow(/delay_periods\.1/);
    expect(() => parse({ fixed_delay_repeat: { seconds: 60 } })).toThrow(TriggerParamsError);
  });

  it("fails where a playbook is written, for a factory given a bad schedule", () => {
    expect(() => onSchedule({ cronScheduleRepeat: { cron_expression: "* * *" } })).toThrow(/Invalid parameters for trigger on_schedule/);
  });

  it("reads cron expressions in UTC, five fields", () => {
    expect(nextCronRun("30 2 * * *", new Date("2026-01-01T02:30:00Z"))?.toISOString()).toBe("2026-01-02T02:30:00.000Z");
    expect(nextCronRun("@hourly", new Date("2026-01-01T02:30:00Z"))?.toISOString()).toBe("2026-01-01T03:00:00.000Z");
  });
});

describe("on_schedule firing", () => {
  it("fires only for the scheduled event of its own playbook", async () => {
    const ran: string[] = [];
    const scheduled = (name: string) =>
      definePlaybook({
        name,
        triggers: [onSchedule({ fixedDelayRepeat: { seconds_delay: 60 } })],
        run: (event, ctx) => {
          ran.push(`${name}#${event.runCount}`);
          ctx.addEnrichment([markdown(`${name} ran`)]);
        },
      });
    const e = engine([scheduled("hourly-report"), scheduled("nightly-cleanup")]);
    const result = await e.handle(tick("nightly-cleanup", 4));
    expect(ran).toEqual(["nightly-cleanup#4"]);
    expect(result.runs.map((r) => r.playbook)).toEqual(["nightly-cleanup"]);
    expect((await e.handle(tick("no-such-playbook"))).runs).toEqual([]);
  });

  it("lets a playbook with other triggers run on its schedule too", async () => {
    const ran: string[] = [];
    const e = engine([
      definePlaybook({
        name: "both",
        triggers: [onPodUpdate(), onSchedule({ cronScheduleRepeat: { cron_expression: "0 * * * *" } })],
        run: (event) => void ran.push(event.source),
      }),
    ]);
    await e.handle(tick("both"));
    expect(ran).toEqual(["scheduler"]);
  });
});

describe("the engine's scheduled jobs", () => {
  it("lists each playbook with an on_schedule trigger and its parsed schedule", () => {
    const e = engine([
      definePlaybook({ name: "report", triggers: [onSchedule({ fixedDelayRepeat: { repeat: 2, seconds_delay: 300 } })], run() {} }),
      definePlaybook({ name: "watcher", triggers: [onPodUpdate()], run() {} }),
      { data: { name: "from-yaml", triggers: [{ name: "on_schedule", params: { dynamic_delay_repeat: { delay_periods: [60, 120] } } }], actions: [{ note: {} }] } },
    ]);
    expect(e.scheduledJobs).toEqual([
      { playbook: "report", params: { fixed_delay_repeat: { repeat: 2, seconds_delay: 300 } } },
      { playbook: "from-yaml", params: { dynamic_delay_repeat: { delay_periods: [60, 120] } } },
    ]);
  });

  it("refuses to load a playbook with two on_schedule triggers, naming it", () => {
    const twice = definePlaybook({
      name: "twice",
      triggers: [onSchedule({ fixedDelayRepeat: { seconds_delay: 60 } }), onSchedule({ cronScheduleRepeat: { cron_expression: "0 * * * *" } })],
      run() {},
    });
    expect(() => engine([twice])).toThrow(PlaybookLoadError);
    expect(() => engine([twice])).toThrow("playbook twice, triggers: more than one on_schedule trigger");
  });

  it("refuses to load a YAML playbook whose cron expression is bad, naming playbook and expression", () => {
    const bad = { data: { name: "bad-cron", triggers: [{ name: "on_schedule", params: { cron_schedule_repeat: { cron_expression: "0 25 * * *" } } }], actions: [{ note: {} }] } };
    expect(() => engine([bad])).toThrow(/playbook bad-cron, triggers\[0\]\.on_schedule\.cron_schedule_repeat\.cron_expression: invalid cron expression "0 25 \* \* \*"/);
  });
});
