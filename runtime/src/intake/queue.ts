/**
 * The bounded intake queue between the HTTP endpoints (and the in-process watch) and the
 * dispatcher. `offer` never blocks: when the queue is full it says so, and the caller answers
 * 503 and counts it. Nothing is dropped without the caller knowing.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private head = 0;
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly capacity: number,
    private readonly concurrency: number,
    private readonly handle: (item: T) => Promise<void>,
  ) {}

  /** Items waiting, not yet being handled. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Room left. */
  get free(): number {
    return this.capacity - this.size;
  }

  /** Enqueues every item, or none when they do not all fit (or the queue is closed). */
  offer(...batch: T[]): boolean {
    if (this.closed || batch.length > this.free) return false;
    this.items.push(...batch);
    this.pump();
    return true;
  }

  /** Resolves once nothing is waiting or being handled. */
  idle(): Promise<void> {
    if (this.size === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new items; resolves when what was accepted has been handled. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.size > 0) {
      const item = this.items[this.head] as T;
      this.items[this.head++] = undefined as T; // let it be collected
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      this.active++;
      // handle() reports its own errors; a rejection here must not stop the queue.
      void this.handle(item)
        .catch(() => undefined)
        .finally(() => {
          this.active--;
          this.pump();
          if (this.size === 0 && this.active === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
        });
    }
  }
}
