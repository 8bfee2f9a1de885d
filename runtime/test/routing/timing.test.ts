import { describe, expect, it } from "vitest";
import { activeMute, isActive, isMuted } from "../../src/routing/timing.js";
import { zonedToEpoch } from "../../src/routing/zoned-time.js";
import { routing, WEDNESDAY_NOON_UTC } from "./helpers.js";

const at = (iso: string) => Date.parse(iso);

describe("activity", () => {
  it("is always active without activity", () => {
    expect(isActive(routing(), WEDNESDAY_NOON_UTC)).toBe(true);
  });

  const officeHours = routing({ activity: { intervals: [{ days: ["mon", "tue", "wed", "thr", "fri"], hours: [{ start: "09:00", end: "17:00" }] }] } });

  it("opens at the start time and closes at the end time (end excluded)", () => {
    expect(isActive(officeHours, at("2024-03-06T08:59:59Z"))).toBe(false);
    expect(isActive(officeHours, at("2024-03-06T09:00:00Z"))).toBe(true);
    expect(isActive(officeHours, at("2024-03-06T16:59:59Z"))).toBe(true);
    expect(isActive(officeHours, at("2024-03-06T17:00:00Z"))).toBe(false);
  });

  it("is inactive on days not listed, and thr is Thursday", () => {
    expect(isActive(officeHours, at("2024-03-07T12:00:00Z"))).toBe(true); // Thursday
    expect(isActive(officeHours, at("2024-03-09T12:00:00Z"))).toBe(false); // Saturday
  });

  it("takes the whole day when an interval has no hours", () => {
    const weekends = routing({ activity: { intervals: [{ days: ["sat", "sun"] }] } });
    expect(isActive(weekends, at("2024-03-09T00:00:00Z"))).toBe(true);
    expect(isActive(weekends, at("2024-03-10T23:59:59Z"))).toBe(true);
    expect(isActive(weekends, at("2024-03-11T00:00:00Z"))).toBe(false);
  });

  it("reads the weekday and time in the activity's time zone", () => {
    const tokyoSundays = routing({ activity: { timezone: "Asia/Tokyo", intervals: [{ days: ["sun"] }] } });
    expect(isActive(tokyoSundays, at("2024-03-09T14:59:00Z"))).toBe(false); // Saturday 23:59 in Tokyo
    expect(isActive(tokyoSundays, at("2024-03-09T15:00:00Z"))).toBe(true); // Sunday 00:00 in Tokyo, Saturday in UTC
    const kolkata = routing({ activity: { timezone: "Asia/Kolkata", intervals: [{ days: ["wed"], hours: [{ start: "09:00", end: "10:00" }] }] } });
    expect(isActive(kolkata, at("2024-03-06T03:29:59Z"))).toBe(false);
    expect(isActive(kolkata, at("2024-03-06T03:30:00Z"))).toBe(true); // 09:00 IST (UTC+5:30)
  });

  it("follows daylight saving time", () => {
    const newYorkMornings = routing({ activity: { timezone: "America/New_York", intervals: [{ days: ["mon"], hours: [{ start: "09:00", end: "10:00" }] }] } });
    // Monday before the change (EST, UTC-5) and after it (EDT, UTC-4): 09:00 local is a different UTC hour.
    expect(isActive(newYorkMornings, at("2024-03-04T13:30:00Z"))).toBe(false);
    expect(isActive(newYorkMornings, at("2024-03-04T14:30:00Z"))).toBe(true);
    expect(isActive(newYorkMornings, at("2024-03-11T13:30:00Z"))).toBe(true);
    expect(isActive(newYorkMornings, at("2024-03-11T14:30:00Z"))).toBe(false);
  });

  it("is active in both passes of an hour that the clocks repeat", () => {
    const berlin = routing({ activity: { timezone: "Europe/Berlin", intervals: [{ days: ["sun"], hours: [{ start: "02:00", end: "03:00" }] }] } });
    expect(isActive(berlin, at("2024-10-27T00:30:00Z"))).toBe(true); // 02:30 CEST
    expect(isActive(berlin, at("2024-10-27T01:30:00Z"))).toBe(true); // 02:30 CET
    expect(isActive(berlin, at("2024-10-27T02:30:00Z"))).toBe(false); // 03:30 CET
  });

  it("takes any of several intervals and ranges, and 24:00 as the end of the day", () => {
    const params = routing({
      activity: {
        intervals: [
          { days: ["mon"], hours: [{ start: "06:00", end: "07:00" }, { start: "22:00", end: "24:00" }] },
          { days: ["tue"], hours: [{ start: "00:00", end: "06:00" }] },
        ],
      },
    });
    expect(isActive(params, at("2024-03-04T06:30:00Z"))).toBe(true);
    expect(isActive(params, at("2024-03-04T12:00:00Z"))).toBe(false);
    expect(isActive(params, at("2024-03-04T23:59:59Z"))).toBe(true);
    expect(isActive(params, at("2024-03-05T00:00:00Z"))).toBe(true);
    expect(isActive(params, at("2024-03-05T06:00:00Z"))).toBe(false);
  });
});

describe("mute intervals", () => {
  it("mutes from start_date (included) to end_date (excluded), in UTC by default", () => {
    const params = routing({ mute_intervals: [{ start_date: "2024-03-06 10:00", end_date: "2024-03-06 14:00" }] });
    expect(isMuted(params, at("2024-03-06T09:59:59Z"))).toBe(false);
    expect(isMuted(params, at("2024-03-06T10:00:00Z"))).toBe(true);
    expect(isMuted(params, at("2024-03-06T13:59:59Z"))).toBe(true);
    expect(isMuted(params, at("2024-03-06T14:00:00Z"))).toBe(false);
    expect(isMuted(routing(), WEDNESDAY_NOON_UTC)).toBe(false);
  });

  it("reads the dates in the interval's time zone and says which interval mutes", () => {
    const params = routing({
      mute_intervals: [
        { start_date: "2024-01-01 00:00", end_date: "2024-01-02 00:00" },
        { start_date: "2024-07-01 09:00", end_date: "2024-07-01 10:00", timezone: "Europe/Berlin" },
      ],
    });
    expect(isMuted(params, at("2024-07-01T06:59:00Z"))).toBe(false);
    expect(activeMute(params, at("2024-07-01T07:00:00Z"))).toEqual({ start_date: "2024-07-01 09:00", end_date: "2024-07-01 10:00", timezone: "Europe/Berlin" });
    expect(isMuted(params, at("2024-07-01T08:00:00Z"))).toBe(false);
  });

  it("spans a daylight saving change by real time", () => {
    // 01:00 EST to 04:00 EDT on the night clocks go forward is two real hours, not three.
    const params = routing({ mute_intervals: [{ start_date: "2024-03-10 01:00", end_date: "2024-03-10 04:00", timezone: "America/New_York" }] });
    expect(isMuted(params, at("2024-03-10T05:59:59Z"))).toBe(false);
    expect(isMuted(params, at("2024-03-10T06:00:00Z"))).toBe(true);
    expect(isMuted(params, at("2024-03-10T07:59:59Z"))).toBe(true);
    expect(isMuted(params, at("2024-03-10T08:00:00Z"))).toBe(false);
  });
});

describe("wall-clock times to instants", () => {
  it("converts ordinary times with the zone's offset", () => {
    expect(zonedToEpoch(2024, 1, 15, 9, 0, "Europe/Berlin")).toBe(at("2024-01-15T08:00:00Z"));
    expect(zonedToEpoch(2024, 7, 15, 9, 0, "Europe/Berlin")).toBe(at("2024-07-15T07:00:00Z"));
    expect(zonedToEpoch(2024, 7, 15, 9, 0, "Pacific/Chatham")).toBe(at("2024-07-14T20:15:00Z"));
    expect(zonedToEpoch(2024, 7, 15, 9, 0, "UTC")).toBe(at("2024-07-15T09:00:00Z"));
  });

  it("reads a time the clocks skip with the offset before the change (02:30 becomes 03:30)", () => {
    expect(zonedToEpoch(2024, 3, 10, 2, 30, "America/New_York")).toBe(at("2024-03-10T07:30:00Z"));
    expect(zonedToEpoch(2024, 3, 31, 2, 30, "Europe/Berlin")).toBe(at("2024-03-31T01:30:00Z"));
  });

  it("takes the earlier of a time the clocks repeat", () => {
    expect(zonedToEpoch(2024, 11, 3, 1, 30, "America/New_York")).toBe(at("2024-11-03T05:30:00Z"));
    expect(zonedToEpoch(2024, 10, 27, 2, 30, "Europe/Berlin")).toBe(at("2024-10-27T00:30:00Z"));
  });
});
