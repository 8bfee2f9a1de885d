/**
 * When a sink takes findings (Robusta's `core/sinks/timing.py`): `activity` windows by weekday
 * and time of day in a time zone, and `mute_intervals` between two dates. Both are checked when a
 * finding is routed; a finding that arrives while a sink is inactive or muted is not sent there
 * (nothing is kept for later).
 */
import type { ActivityParams, Day, MuteInterval } from "./params.js";
import { parseDateTime, wallTime, zonedToEpoch } from "./zoned-time.js";

const DAYS: readonly Day[] = ["mon", "tue", "wed", "thr", "fri", "sat", "sun"];

/** "HH:MM" (or "24:00") to seconds since midnight; the schema has checked the format. */
const secondsOf = (time: string) => {
  const [hours, minutes] = time.trim().split(":").map(Number) as [number, number];
  return hours * 3600 + minutes * 60;
};

/**
 * Whether the sink is active at `nowMs`: no `activity` means always; otherwise one interval must
 * list today's weekday (in its time zone) and, if it has hours, one range must hold the time of
 * day, start included and end excluded. Ranges do not span midnight (the schema refuses them, as
 * Robusta never matches them).
 */
export function isActive(params: { readonly activity?: ActivityParams | undefined }, nowMs: number): boolean {
  const { activity } = params;
  if (!activity) return true;
  const now = wallTime(nowMs, activity.timezone);
  const day = DAYS[now.weekday];
  const second = now.hour * 3600 + now.minute * 60 + now.second;
  return activity.intervals.some(
    (interval) =>
      day !== undefined &&
      interval.days.includes(day) &&
      (interval.hours.length === 0 || interval.hours.some(({ start, end }) => secondsOf(start) <= second && second < secondsOf(end))),
  );
}

const bounds = new WeakMap<MuteInterval, readonly [number, number]>();

/** A mute interval's start and end as instants (see zonedToEpoch for times that DST skips or repeats). */
function boundsOf(interval: MuteInterval): readonly [number, number] {
  let known = bounds.get(interval);
  if (!known) {
    const start = parseDateTime(interval.start_date);
    const end = parseDateTime(interval.end_date);
    known = start && end ? [zonedToEpoch(...start, interval.timezone), zonedToEpoch(...end, interval.timezone)] : [0, 0];
    bounds.set(interval, known);
  }
  return known;
}

/** The mute interval in force at `nowMs` (start included, end excluded), if any. */
export function activeMute(params: { readonly mute_intervals?: readonly MuteInterval[] | undefined }, nowMs: number): MuteInterval | undefined {
  return params.mute_intervals?.find((interval) => {
    const [start, end] = boundsOf(interval);
    return start <= nowMs && nowMs < end;
  });
}

/** Whether a mute interval is in force at `nowMs`. */
export function isMuted(params: { readonly mute_intervals?: readonly MuteInterval[] | undefined }, nowMs: number): boolean {
  return activeMute(params, nowMs) !== undefined;
}
