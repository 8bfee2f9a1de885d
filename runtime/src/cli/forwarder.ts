/**
 * `robusta forwarder`: watches the cluster and posts the changes, batched, to a runner's
 * /api/handle (a drop-in for robusta-forwarder). Serves /healthz, /readyz and /metrics itself.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { KubeApiClient } from "../kubernetes/api-client.js";
import { CloudEventForwarder } from "../kubernetes/cloudevent-forwarder.js";
import { createWatches, DEFAULT_KINDS, loadKubeConfig } from "../kubernetes/index.js";
import { createLogger } from "../logging.js";
import { createMetrics } from "../metrics.js";
import { optionsFromEnv, parseRuntimeOptions } from "../options.js";
import { probeRoutes } from "../server/app.js";
import { untilSignal } from "./signals.js";

export interface ForwarderCommandOptions {
  runnerUrl: string;
  kinds?: string[];
  port: number;
}

export async function forwarder(options: ForwarderCommandOptions): Promise<number> {
  const settings = parseRuntimeOptions({ ...optionsFromEnv(), port: options.port });
  const logger = createLogger(settings.logLevel, { component: "forwarder" });
  const metrics = createMetrics();
  const client = new KubeApiClient(loadKubeConfig());
  const poster = new CloudEventForwarder({
    runnerUrl: options.runnerUrl,
    ...(settings.authToken !== undefined && { authToken: settings.authToken }),
    logger,
    onSent: (count) => metrics.intake.inc({ endpoint: "forwarded", result: "accepted" }, count),
    onDropped: (count, reason) => metrics.intake.inc({ endpoint: "forwarded", result: reason }, count),
  });
  const watches = createWatches(client, settings, logger, metrics, (change) => poster.push(change));
  const app = probeRoutes(new Hono(), { metrics, notReady: () => watches.notReady(), unhealthy: () => watches.unhealthy() });
  const server = serve({ fetch: app.fetch, hostname: settings.host, port: settings.port });
  const watched = await watches.start(options.kinds ?? DEFAULT_KINDS);
  logger.info({ watched, runner: options.runnerUrl }, "forwarding");
  await untilSignal();
  await watches.stop();
  await poster.close();
  server.close();
  return 0;
}
