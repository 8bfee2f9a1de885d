/**
 * The runner's HTTP surface (hono): Robusta's intake endpoints plus health, readiness and metrics.
 * Every body is size-limited and validated; every refusal says what is wrong and is counted.
 */
import { timingSafeEqual } from "node:crypto";
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { alertEvents, alertmanagerWebhookSchema, type IncomingEvent, type Logger, type PrometheusAlertEvent } from "@robusta-ts/sdk";
import { changeFromCloudEvent, handleBodySchema } from "../intake/kubewatch.js";
import type { Metrics } from "../metrics.js";
import { issuesOf, summarize } from "./errors.js";
import { triggerBodySchema, type TriggerAnswer, type TriggerBody } from "./trigger.js";

export interface AppDeps {
  readonly bodyLimitBytes: number;
  readonly authToken?: string;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Queues events for dispatch; false when they do not fit. */
  offer(events: IncomingEvent[]): boolean;
  /** Relabels the alerts of a webhook and drops those already handled. */
  admitAlerts(events: PrometheusAlertEvent[]): PrometheusAlertEvent[];
  /** Runs an action by hand (POST /api/trigger) and says what it came to. */
  trigger(body: TriggerBody): Promise<TriggerAnswer>;
  /**
   * Answers a request a sink's service sends (Slack's interactivity), POST /sinks/<name>/...:
   * outside /api because the service authenticates by its own signature, not our bearer token.
   */
  sinkRequest(name: string, request: Request): Promise<Response>;
  /** Reasons the runner is not ready; empty when it is. */
  notReady(): string[];
  /** Reasons the runner is unhealthy; empty when it is healthy. */
  unhealthy(): string[];
}

type Endpoint = "alerts" | "handle";

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GET /healthz, /readyz and /metrics: for kubelet probes and Prometheus, never authenticated. */
export function probeRoutes(app: Hono, deps: Pick<AppDeps, "metrics" | "notReady" | "unhealthy">): Hono {
  app.get("/healthz", (c) => {
    const problems = deps.unhealthy();
    return c.json({ status: problems.length ? "unhealthy" : "ok", problems }, problems.length ? 500 : 200);
  });
  app.get("/readyz", (c) => {
    const problems = deps.notReady();
    return c.json({ status: problems.length ? "not ready" : "ready", problems }, problems.length ? 503 : 200);
  });
  app.get("/metrics", async (c) => {
    c.header("Content-Type", deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
  return app;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const endpointOf = (c: HonoContext) => c.req.path.replace(/^\/api\//, "");
  const refuse = (c: HonoContext, status: 400 | 401 | 404 | 413 | 503, result: string, msg: string, extra: object = {}) => {
    deps.metrics.intake.inc({ endpoint: endpointOf(c), result });
    deps.logger.warn({ endpoint: c.req.path, status, reason: msg }, "request refused");
    return c.json({ success: false, msg, ...extra }, status);
  };

  const tooLarge = (c: HonoContext) => refuse(c, 413, "too_large", `request body is larger than the limit of ${deps.bodyLimitBytes} bytes`);
  const streamingLimit = bodyLimit({ maxSize: deps.bodyLimitBytes, onError: tooLarge });
  const limited = async (c: HonoContext, next: () => Promise<void>) => {
    // Node's parser guarantees a body is exactly Content-Length long, so the header decides. hono's
    // bodyLimit wraps the body in web streams (about 50 µs a request): only chunked bodies need it.
    const length = c.req.header("content-length");
    if (length === undefined) return streamingLimit(c, next);
    if (Number(length) > deps.bodyLimitBytes) return tooLarge(c);
    await next();
  };
  app.use("/api/*", limited);
  app.use("/sinks/*", limited);

  if (deps.authToken) {
    const token = deps.authToken;
    app.use("/api/*", async (c, next) => {
      const header = c.req.header("authorization");
      if (!header) {
        c.header("WWW-Authenticate", 'Bearer realm="robusta"');
        return refuse(c, 401, "unauthorized", "missing Authorization header: send 'Authorization: Bearer <token>'");
      }
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match || !sameToken(match[1]!, token)) {
        c.header("WWW-Authenticate", 'Bearer realm="robusta", error="invalid_token"');
        return refuse(c, 401, "unauthorized", "invalid bearer token");
      }
      await next();
    });
  }

  /** Reads and validates a JSON body, or answers 400 naming what is wrong. */
  async function parse<S extends z.ZodType>(c: HonoContext, schemaFor: S | ((body: unknown) => S)): Promise<z.output<S> | Response> {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch (error) {
      return refuse(c, 400, "invalid", `body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const schema = typeof schemaFor === "function" ? schemaFor(body) : schemaFor;
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    const issues = issuesOf(result.error);
    return refuse(c, 400, "invalid", `invalid ${endpointOf(c) === "alerts" ? "Alertmanager webhook" : "request"}: ${summarize(issues)}`, { issues });
  }

  const enqueue = (c: HonoContext, endpoint: Endpoint, events: IncomingEvent[]) => {
    if (!deps.offer(events)) {
      c.header("Retry-After", "5");
      return refuse(c, 503, "rejected_queue_full", `the intake queue is full; ${events.length} event(s) not accepted, retry later`);
    }
    deps.metrics.intake.inc({ endpoint, result: "accepted" }, events.length);
    return c.json({ success: true });
  };

  app.post("/api/alerts", async (c) => {
    const payload = await parse(c, alertmanagerWebhookSchema);
    if (payload instanceof Response) return payload;
    if (payload.truncatedAlerts) {
      deps.logger.warn({ truncatedAlerts: payload.truncatedAlerts, groupKey: payload.groupKey }, "Alertmanager truncated alerts: set max_alerts: 0 on the webhook receiver");
    }
    const all = alertEvents(payload);
    const fresh = deps.admitAlerts(all);
    if (fresh.length < all.length) deps.metrics.intake.inc({ endpoint: "alerts", result: "duplicate" }, all.length - fresh.length);
    return enqueue(c, "alerts", fresh);
  });

  app.post("/api/handle", async (c) => {
    const body = await parse(c, handleBodySchema);
    if (body instanceof Response) return body;
    return enqueue(c, "handle", (Array.isArray(body) ? body : [body]).map(changeFromCloudEvent));
  });

  app.post("/api/trigger", async (c) => {
    const body = await parse(c, triggerBodySchema);
    if (body instanceof Response) return body;
    const answer = await deps.trigger(body);
    if (answer.body.outcome !== undefined) {
      // It ran; how the action itself went is counted with the other action runs.
      deps.metrics.intake.inc({ endpoint: "trigger", result: "accepted" });
      return c.json(answer.body, answer.status);
    }
    if (answer.status === 500) {
      // It could not start (the object could not be read): not the caller's fault, so not "invalid".
      deps.metrics.intake.inc({ endpoint: "trigger", result: "failed" });
      return c.json(answer.body, 500);
    }
    if (answer.status === 503) c.header("Retry-After", "5");
    return refuse(c, answer.status as 400 | 404 | 503, answer.status === 503 ? "rejected_busy" : "invalid", String(answer.body.msg), answer.body);
  });

  app.post("/sinks/:name/*", (c) => deps.sinkRequest(c.req.param("name"), c.req.raw));

  probeRoutes(app, deps);
  app.notFound((c) => c.json({ success: false, msg: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    deps.logger.error({ endpoint: c.req.path, reason: error.message, stack: error.stack }, "request failed");
    return c.json({ success: false, msg: "internal error" }, 500);
  });
  return app;
}
