import type { Finding } from "@robusta-ts/sdk";
import { InMemoryCluster, MemoryLogger } from "@robusta-ts/sdk/testing";
import { Runtime, type RuntimeConfig } from "../src/runtime.js";
import type { Sink } from "../src/sinks/sink.js";

/** A sink that keeps what it receives; it can be told to fail. */
export class CapturingSink implements Sink {
  readonly findings: Finding[] = [];
  failWith: Error | undefined;

  constructor(
    readonly name = "capture",
    readonly isDefault = true,
  ) {}

  async write(finding: Finding): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.findings.push(finding);
  }
}

/** A runtime on loopback with capturing sinks and a memory logger. */
export function testRuntime(config: Partial<RuntimeConfig> = {}) {
  const sink = new CapturingSink();
  const logger = new MemoryLogger();
  const runtime = new Runtime({
    playbooks: [],
    cluster: new InMemoryCluster(),
    sinks: [sink],
    logger,
    ...config,
    options: { host: "127.0.0.1", port: 0, ...config.options },
  });
  return { runtime, sink, logger };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
