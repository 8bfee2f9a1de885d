/**
 * The child side of the benchmark's IPC channel: a server child announces its port, and answers
 * "stats" with its CPU time and what it accepted and dispatched, so the parent can check that
 * accepted events were really processed and not merely acknowledged.
 */
export interface ChildStats {
  /** CPU time (user + system) the child had used when asked, in microseconds. */
  readonly cpuMicros: number;
  /** Events accepted but not yet dispatched when asked. */
  readonly backlog: number;
  /** Events accepted (answered 2xx) so far, counted after draining the backlog. */
  readonly accepted: number;
  /** Events dispatched through the playbooks so far, after draining. */
  readonly dispatched: number;
  readonly playbookRuns: number;
  readonly findings: number;
  /** How long draining the backlog took, ms. */
  readonly drainMs: number;
}

export type ToChild = { readonly type: "stats" };
export type FromChild = { readonly type: "ready"; readonly port: number } | { readonly type: "stats"; readonly stats: ChildStats };

export interface Counts {
  accepted(): Promise<number> | number;
  dispatched(): number;
  playbookRuns(): number;
  findings(): number;
  /** Resolves once every accepted event has been dispatched. */
  idle(): Promise<void>;
}

/** Tells the parent the port, then answers its stats requests. Exits with the parent. */
export function serveParent(port: number, counts: Counts): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error("this server is started by the intake benchmark (npm run bench), which talks to it over IPC");
  process.on("message", async (message: ToChild) => {
    if (message.type !== "stats") return;
    const cpu = process.cpuUsage();
    const backlog = (await counts.accepted()) - counts.dispatched();
    const started = performance.now();
    await counts.idle();
    const stats: ChildStats = {
      cpuMicros: cpu.user + cpu.system,
      backlog,
      accepted: await counts.accepted(),
      dispatched: counts.dispatched(),
      playbookRuns: counts.playbookRuns(),
      findings: counts.findings(),
      drainMs: performance.now() - started,
    };
    send({ type: "stats", stats } satisfies FromChild);
  });
  // An orphaned server would keep a core busy: leave with the parent.
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  send({ type: "ready", port } satisfies FromChild);
}
