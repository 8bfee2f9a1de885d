/**
 * Alertmanager's API v2 silences (list, create, expire) through the context's `fetch`, with
 * Robusta's AlertManagerParams: where Alertmanager is and how to authenticate.
 */
import { z } from "zod";
import type { Context } from "../context.js";
import { HttpError, requestJson } from "./http.js";
import { configuredBaseUrl, lowerCaseHeaders } from "./prometheus.js";

/** Robusta's AlertManagerParams, spread into the params of actions that call Alertmanager; usually set in globalConfig. */
export const alertmanagerParamsShape = {
  alertmanager_url: z
    .string()
    .optional()
    .describe('Alertmanager\'s base URL, e.g. "http://alertmanager-operated.monitoring:9093"; usually set once in globalConfig.'),
  alertmanager_auth: z
    .string()
    .optional()
    .describe('Sent as the Authorization header of every Alertmanager request, e.g. "Basic <base64 of user:password>".'),
  alertmanager_additional_headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Extra HTTP headers for every Alertmanager request, e.g. { "X-Scope-OrgID": "tenant-1" }.'),
  alertmanager_flavor: z
    .string()
    .optional()
    .describe('"grafana" for the Alertmanager built into Grafana: its API is under /api/alertmanager/grafana.'),
  grafana_api_key: z
    .string()
    .optional()
    .describe('With alertmanager_flavor "grafana": a Grafana API key (Editor role), sent as a Bearer token.'),
};

/** The Alertmanager settings of an action's parsed params. */
export type AlertmanagerParams = z.output<z.ZodObject<typeof alertmanagerParamsShape>>;

/** A silence matcher, as Alertmanager's API names its fields. */
export const silenceMatcherSchema = z.object({
  name: z.string().min(1).describe("The label name."),
  value: z.string().describe("The value, or a regular expression when isRegex."),
  isRegex: z.boolean().default(false).describe("Whether value is a regular expression (=~ rather than =)."),
  isEqual: z.boolean().default(true).describe("false negates the matcher (!= or !~)."),
});
export type SilenceMatcher = z.output<typeof silenceMatcherSchema>;

const silenceSchema = z.object({
  id: z.string(),
  status: z.object({ state: z.string() }),
  comment: z.string(),
  createdBy: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  updatedAt: z.string().optional(),
  // Alertmanagers before 0.22 leave isEqual out: it was always true.
  matchers: z.array(silenceMatcherSchema.extend({ isEqual: z.boolean().default(true) })),
});

/** A silence as Alertmanager lists it; `status.state` is "active", "pending" or "expired". */
export type Silence = z.output<typeof silenceSchema>;

/** What creating (or, with `id`, replacing) a silence takes. */
export interface NewSilence {
  readonly id?: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
}

const SERVICE = "Alertmanager";

/** Alertmanager's API base (with Grafana's prefix for its flavor); a clear error when none is configured. */
function apiBase(params: AlertmanagerParams): string {
  const base = configuredBaseUrl(params.alertmanager_url, SERVICE, "alertmanager_url", "http://alertmanager-operated.monitoring:9093");
  return `${base}${params.alertmanager_flavor === "grafana" ? "/api/alertmanager/grafana" : ""}/api/v2`;
}

function headersOf(params: AlertmanagerParams): Record<string, string> {
  const grafana = params.alertmanager_flavor === "grafana" && params.grafana_api_key;
  const authorization = grafana ? `Bearer ${params.grafana_api_key}` : params.alertmanager_auth;
  return {
    accept: "application/json",
    ...lowerCaseHeaders(params.alertmanager_additional_headers),
    ...(authorization && { authorization }),
  };
}

/** Alertmanager says why in a JSON string ("silence not found") or as {code, message}. */
function reasonOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "string") return parsed;
    if (parsed && typeof parsed === "object" && "message" in parsed && typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return body;
}

async function call(ctx: Pick<Context, "fetch" | "signal">, params: AlertmanagerParams, what: string, path: string, init: { method?: string; json?: unknown } = {}): Promise<unknown> {
  try {
    return await requestJson(ctx, SERVICE, `${apiBase(params)}${path}`, { ...init, headers: headersOf(params) });
  } catch (error) {
    if (error instanceof HttpError) throw new Error(`${SERVICE} could not ${what}: ${error.status} ${reasonOf(error.body)}`, { cause: error });
    throw error;
  }
}

/** Every silence Alertmanager knows, expired ones included. */
export async function listSilences(ctx: Pick<Context, "fetch" | "signal">, params: AlertmanagerParams): Promise<Silence[]> {
  const body = await call(ctx, params, "list the silences", "/silences");
  const parsed = z.array(silenceSchema).safeParse(body);
  if (!parsed.success) throw new Error(`${SERVICE} answered GET /api/v2/silences with something that is not a list of silences: ${JSON.stringify(body)?.slice(0, 200)}`);
  return parsed.data;
}

/** Creates a silence (replaces it, given its `id`) and returns its id. */
export async function createSilence(ctx: Pick<Context, "fetch" | "signal">, params: AlertmanagerParams, silence: NewSilence): Promise<string> {
  const body = await call(ctx, params, "create the silence", "/silences", { method: "POST", json: silence });
  // Grafana's Alertmanager answers `id` where Prometheus's answers `silenceID`.
  const parsed = z.union([z.object({ silenceID: z.string() }), z.object({ id: z.string() })]).safeParse(body);
  if (!parsed.success) throw new Error(`${SERVICE} created no silence: it answered ${JSON.stringify(body)?.slice(0, 200)}`);
  return "silenceID" in parsed.data ? parsed.data.silenceID : parsed.data.id;
}

/** Expires a silence: Alertmanager keeps it, with state "expired". */
export async function expireSilence(ctx: Pick<Context, "fetch" | "signal">, params: AlertmanagerParams, id: string): Promise<void> {
  await call(ctx, params, `delete the silence ${id}`, `/silence/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/** A matcher as Alertmanager writes it: `alertname="Foo"`, `namespace=~"prod|staging"`, `severity!="info"`. */
export function formatMatcher(matcher: SilenceMatcher): string {
  const operator = `${matcher.isEqual ? "=" : "!"}${matcher.isRegex ? "~" : matcher.isEqual ? "" : "="}`;
  return `${matcher.name}${operator}${JSON.stringify(matcher.value)}`;
}
