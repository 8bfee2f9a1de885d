/**
 * on_schedule: runs a playbook on a timer (Robusta §4.5). The runner's scheduler emits one
 * `ScheduledEvent` per run, addressed to the playbook it belongs to; this trigger only matches
 * that address. When and how often is the scheduler's business, from these parameters.
 */
import { Cron } from "croner";
import { z } from "zod";
import { EventClasses } from "../events/classes.js";
import type { ScheduledEvent } from "../events/model.js";
import type { TriggerType } from "./trigger.js";

/** croniter (Robusta's) reads five fields, minute first, in UTC; so does this. */
const CRON_OPTIONS = { mode: "5-part", timezone: "UTC" } as const;

/** Why `expression` is not a cron expression, or undefined when it is one. */
function cronProblem(expression: string): string | undefined {
  try {
    new Cron(expression, CRON_OPTIONS);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
  }
}

/**
 * The first run of a five-field cron expression (UTC) strictly after `after`; undefined when
 * there is none (a date that never comes). Throws on an invalid expression.
 */
export function nextCronRun(expression: string, after: Date): Date | undefined {
  return new Cron(expression, CRON_OPTIONS).nextRun(after) ?? undefined;
}

const fixedDelayRepeat = z
  .object({
    repeat: z
      .number()
      .int()
      .refine((n) => n === -1 || n >= 1, "must be -1 (run forever) or at least 1")
      .default(-1)
      .describe("How many times to run; -1 runs forever."),
    seconds_delay: z.number().int().positive().describe("Seconds between runs."),
  })
  .strict();

const dynamicDelayRepeat = z
  .object({
    delay_periods: z
      .array(z.number().int().positive())
      .min(1, "give at least one delay")
      .describe("Seconds to wait before each run, one per run; the schedule ends after the last."),
  })
  .strict();

const cronScheduleRepeat = z
  .object({
    cron_expression: z
      .string()
      .superRefine((expression, ctx) => {
        const problem = cronProblem(expression);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: `invalid cron expression "${expression}": ${problem}` });
      })
      .describe('A five-field cron expression in UTC (minute hour day-of-month month day-of-week), or a nickname like "@hourly".'),
  })
  .strict();

const SCHEDULE_KINDS = ["fixed_delay_repeat", "dynamic_delay_repeat", "cron_schedule_repeat"] as const;

const params = z
  .object({
    fixed_delay_repeat: fixedDelayRepeat.optional().describe("Run every `seconds_delay` seconds, `repeat` times (-1, the default: forever)."),
    dynamic_delay_repeat: dynamicDelayRepeat.optional().describe("Run once after each of `delay_periods`, in turn."),
    cron_schedule_repeat: cronScheduleRepeat.optional().describe("Run at the times of `cron_expression`, forever."),
  })
  .strict()
  .superRefine((p, ctx) => {
    const given = SCHEDULE_KINDS.filter((kind) => p[kind] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `give exactly one of ${SCHEDULE_KINDS.join(", ")}${given.length > 1 ? ` (got ${given.join(", ")})` : ""}`,
      });
    }
  });

/** The parameters of on_schedule, as parsed: exactly one of the three is set. */
export type OnScheduleParams = z.output<typeof params>;

export const onScheduleType: TriggerType<"on_schedule", typeof params, ScheduledEvent> = {
  name: "on_schedule",
  description:
    "Runs the playbook on a schedule: give exactly one of a fixed delay, a list of delays, or a cron expression. The first run comes at least INITIAL_SCHEDULE_DELAY_SEC after the runner starts; run counts survive restarts. A playbook has at most one.",
  source: "scheduler",
  kinds: [],
  eventClass: EventClasses.Scheduled,
  params,
  fires(incoming, _params, env) {
    // Each scheduled event is addressed to one playbook: the one whose schedule produced it.
    if (incoming.source !== "scheduler" || incoming.playbook !== env.playbook) return undefined;
    return incoming;
  },
};

