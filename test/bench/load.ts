/**
 * Closed-loop load from this process with autocannon: a fixed number of keep-alive connections,
 * each sending the next body as soon as the previous answer arrives. Only 2xx answers count as
 * throughput; anything else (503 = queue full) is reported apart.
 */
import autocannon from "autocannon";

export interface Load {
  /** 2xx answers per second. */
  readonly rps: number;
  readonly ok: number;
  /** Non-2xx answers by status code. */
  readonly refused: Readonly<Record<string, number>>;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU the load generator used, as a fraction of one core. */
  readonly cpu: number;
}

export async function load(url: string, path: string, bodies: readonly string[], connections: number, seconds: number): Promise<Load> {
  const requests = bodies.map((body) => ({ method: "POST", path, body, headers: { "content-type": "application/json" } }));
  const cpuBefore = process.cpuUsage();
  // Our own latency record: autocannon's histogram keeps whole milliseconds, too coarse here.
  const latencies: number[] = [];
  const result = await autocannon({ url, connections, pipelining: 1, duration: seconds, requests }).on("response", (_c, _s, _b, ms) => {
    latencies.push(ms);
  });
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const refused = Object.fromEntries(
    Object.entries(result.statusCodeStats)
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, { count }]) => [code, count]),
  );
  return {
    rps: result["2xx"] / result.duration,
    ok: result["2xx"],
    refused,
    errors: result.errors,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    cpu: (cpu.user + cpu.system) / 1e6 / result.duration,
  };
}
