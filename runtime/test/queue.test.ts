import { describe, expect, it } from "vitest";
import { BoundedQueue } from "../src/intake/queue.js";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("BoundedQueue", () => {
  it("holds at most its capacity, takes a batch whole or not at all, and frees room as items are handled", async () => {
    const gate = deferred();
    const handled: number[] = [];
    const queue = new BoundedQueue<number>(3, 1, async (n) => {
      await gate.promise;
      handled.push(n);
    });
    expect(queue.offer(1)).toBe(true); // taken by the worker at once
    expect(queue.offer(2, 3, 4)).toBe(true);
    expect(queue.size).toBe(3);
    expect(queue.offer(5)).toBe(false);
    expect(queue.offer(5, 6)).toBe(false);
    gate.resolve();
    await queue.idle();
    expect(handled).toEqual([1, 2, 3, 4]);
    expect(queue.offer(5, 6)).toBe(true);
    await queue.idle();
    expect(handled).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("runs up to `concurrency` items at once", async () => {
    let running = 0;
    let peak = 0;
    const queue = new BoundedQueue<number>(100, 4, async () => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    });
    queue.offer(...Array.from({ length: 20 }, (_, i) => i));
    await queue.idle();
    expect(peak).toBe(4);
  });

  it("goes on after a handler rejects", async () => {
    const handled: number[] = [];
    const queue = new BoundedQueue<number>(10, 1, async (n) => {
      if (n === 1) throw new Error("boom");
      handled.push(n);
    });
    queue.offer(1, 2);
    await queue.idle();
    expect(handled).toEqual([2]);
  });

  it("refuses new items once closed, after finishing what it accepted", async () => {
    const handled: number[] = [];
    const queue = new BoundedQueue<number>(10, 1, async (n) => void handled.push(n));
    queue.offer(1, 2);
    await queue.close();
    expect(handled).toEqual([1, 2]);
    expect(queue.offer(3)).toBe(false);
  });
});
