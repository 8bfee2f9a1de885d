/** Wall-clock time in IANA time zones, through Intl (no time zone database of our own). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows `timeZone` ("Europe/Berlin", "UTC", "CET", ...). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === "") return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The wall clock in a zone at one instant. `weekday` is 0 for Monday (Python's `weekday()`). */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The wall clock in `timeZone` at `epochMs`. */
export function wallTime(epochMs: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `epochMs`, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  const instant = Math.floor(epochMs / 1000) * 1000;
  const w = wallTime(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - instant;
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall-clock time in `timeZone` stands for. Like Temporal's "compatible" choice: a
 * time repeated when clocks go back is the earlier instant; a time skipped when clocks go forward
 * is read with the offset before the change (02:30 becomes 03:30 when 02:00 jumps to 03:00).
 */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // No zone changes its offset twice within two days, so the offsets a day either side cover both readings.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const readings = [wall - before, wall - after].filter((epoch) => epoch + offsetAt(epoch, timeZone) === wall);
  return readings.length > 0 ? Math.min(...readings) : wall - before;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

/** "YYYY-MM-DD HH:MM" to its parts, or undefined when it is not a real date and time. */
export function parseDateTime(value: string): [number, number, number, number, number] | undefined {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [year, month, dayOfMonth, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, dayOfMonth, hour, minute));
  const real = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === dayOfMonth && hour <= 23 && minute <= 59;
  return real ? [year, month, dayOfMonth, hour, minute] : undefined;
}
