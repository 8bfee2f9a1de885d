import { describe, expect, it } from "vitest";
import { VirtualDeliveryClock } from "../../src/delivery/clock.js";
import { Pacer } from "../../src/delivery/pacer.js";
import { ManualClock, settle } from "./manual-clock.js";

describe("Pacer", () => {
  it("spaces one key's sends evenly: Slack's 1 per second per channel", async () => {
    const clock = new VirtualDeliveryClock();
    const start = clock.now();
    const pacer = new Pacer({ perSecond: 1, clock });
    const sentAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      await pacer.wait("#alerts");
      sentAt.push(clock.now() - start);
    }
    expect(sentAt).toEqual([0, 1000, 2000, 3000]);
  });

  it("spaces a Teams webhook's sends 250 ms apart at 4 per second", async () => {
    const clock = new VirtualDeliveryClock();
    const start = clock.now();
    const pacer = new Pacer({ perSecond: 4, clock });
    const sentAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.wait("https://example.webhook.office.com/a");
      sentAt.push(clock.now() - start);
    }
    expect(sentAt).toEqual([0, 250, 500, 750, 1000]);
  });

  it("paces each key on its own", async () => {
    const clock = new VirtualDeliveryClock();
    const start = clock.now();
    const pacer = new Pacer({ perSecond: 1, clock });
    const sent: string[] = [];
    for (const key of ["#a", "#b", "#a", "#b"]) {
      await pacer.wait(key);
      sent.push(`${key}@${clock.now() - start}`);
    }
    // #b's second send needs no wait of its own: its second has passed while #a waited.
    expect(sent).toEqual(["#a@0", "#b@0", "#a@1000", "#b@1000"]);
  });

  it("lets a key send at once when its last send is long past", async () => {
    const clock = new VirtualDeliveryClock();
    const pacer = new Pacer({ perSecond: 1, clock });
    await pacer.wait("#alerts");
    clock.advance(5000);
    await pacer.wait("#alerts");
    expect(clock.sleeps).toEqual([]);
  });

  it("spaces concurrent waiters on one key, in call order", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ perSecond: 1, clock });
    const released: string[] = [];
    for (const name of ["first", "second", "third"]) void pacer.wait("#alerts").then(() => released.push(name));
    void pacer.wait("#other").then(() => released.push("other"));
    await settle();
    expect(released).toEqual(["first", "other"]);

    await clock.advance(999);
    expect(released).toEqual(["first", "other"]);
    await clock.advance(1);
    expect(released).toEqual(["first", "other", "second"]);
    await clock.advance(999);
    expect(released).toEqual(["first", "other", "second"]);
    await clock.advance(1);
    expect(released).toEqual(["first", "other", "second", "third"]);
  });

  it("gives an aborted waiter's slot to the next one", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ perSecond: 1, clock });
    await pacer.wait("#alerts");
    const controller = new AbortController();
    const aborted = pacer.wait("#alerts", controller.signal);
    controller.abort(new Error("shutting down"));
    await expect(aborted).rejects.toThrow("shutting down");

    let released = false;
    void pacer.wait("#alerts").then(() => (released = true));
    await clock.advance(1000);
    expect(released).toBe(true);
  });

  it("rejects at once with an aborted signal", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer({ perSecond: 1, clock });
    await expect(pacer.wait("#alerts", AbortSignal.abort(new Error("stopped")))).rejects.toThrow("stopped");
    expect(pacer.keys).toBe(0);
  });

  it("forgets keys whose slot has passed, and never remembers more than maxKeys", async () => {
    const clock = new VirtualDeliveryClock();
    const pacer = new Pacer({ perSecond: 1, clock, maxKeys: 3 });
    for (const key of ["#a", "#b", "#c"]) await pacer.wait(key);
    expect(pacer.keys).toBe(3);
    clock.advance(1000);
    await pacer.wait("#d");
    expect(pacer.keys).toBe(1);

    for (const key of ["#e", "#f", "#g", "#h"]) await pacer.wait(key);
    expect(pacer.keys).toBe(3);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new Pacer({ perSecond: 0, clock: new VirtualDeliveryClock() })).toThrow(RangeError);
  });
});
