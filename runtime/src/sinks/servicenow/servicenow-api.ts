/**
 * The ServiceNow REST calls the sink makes (Table API on `incident`, Attachment API), with
 * ServiceNow's errors ({"error": {"message", "detail"}, "status": "failure"}) read into
 * DeliveryErrors: 429 and 5xx retryable (Retry-After, else X-RateLimit-Reset, honoured), other
 * statuses not.
 */
import { DeliveryError } from "../../delivery/delivery-error.js";
import type { AttachedFile } from "../common/files.js";
import { basicAuth, HttpClient, type HttpClientOptions } from "../common/http.js";
import { jsonObject, retryAfterHeader, serviceError } from "../common/service-error.js";
import type { IncidentBody } from "./render-incident.js";

/** An incident as the sink needs it. */
export interface IncidentRef {
  readonly sysId: string;
  /** "INC0010001", for messages. */
  readonly number: string;
}

const detailOf = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** ServiceNow's `error` as one line: "message (detail)". */
function errorWords(error: Record<string, unknown> | undefined): string | undefined {
  const message = detailOf(error?.message);
  const detail = detailOf(error?.detail);
  if (message === undefined) return detail;
  return detail === undefined ? message : `${message} (${detail.replace(/\s+/g, " ")})`;
}

/** A DeliveryError for a ServiceNow answer that is not a success, with ServiceNow's words in it. */
export function serviceNowError(service: string, response: Response, now: number): Promise<DeliveryError> {
  return serviceError(response, now, {
    service,
    parse: (json) => jsonObject(jsonObject(json)?.error),
    explain: ({ body, text }) => errorWords(body) ?? text.replace(/\s+/g, " ").trim().slice(0, 300),
    retryAfterMs: ({ response, now }) => {
      const reset = Number(response.headers.get("x-ratelimit-reset"));
      return retryAfterHeader(response, now) ?? (response.status === 429 && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined);
    },
  });
}

/** Encoded-query values escape "^" by doubling it. */
const queryValue = (value: string): string => value.replaceAll("^", "^^");

/** The `result` object of a Table or Attachment API answer. */
function resultOf(body: unknown): Record<string, unknown> | undefined {
  const result = typeof body === "object" && body !== null ? (body as { result?: unknown }).result : undefined;
  return typeof result === "object" && result !== null ? (result as Record<string, unknown>) : undefined;
}

const refOf = (record: Record<string, unknown> | undefined): IncidentRef | undefined =>
  typeof record?.sys_id === "string" && record.sys_id !== "" ? { sysId: record.sys_id, number: typeof record.number === "string" ? record.number : record.sys_id } : undefined;

/** One instance's incident table, as one user. */
export class ServiceNowApi {
  /** Who is called, for messages: "ServiceNow dev12345.service-now.com". */
  readonly service: string;
  private readonly http: HttpClient;
  private readonly authorization: string;

  constructor(
    private readonly baseUrl: string,
    username: string,
    password: string,
    options: HttpClientOptions = {},
  ) {
    this.service = `ServiceNow ${new URL(baseUrl).host}`;
    this.authorization = basicAuth(username, password);
    this.http = new HttpClient(options);
  }

  /** The newest incident with this correlation id that is still open (active and not in `resolvedState`). */
  async findOpenIncident(correlationId: string, resolvedState: number, signal?: AbortSignal): Promise<IncidentRef | undefined> {
    const url = new URL(`${this.baseUrl}/api/now/v1/table/incident`);
    url.searchParams.set("sysparm_query", `correlation_id=${queryValue(correlationId)}^active=true^state!=${resolvedState}^ORDERBYDESCsys_created_on`);
    url.searchParams.set("sysparm_fields", "sys_id,number");
    url.searchParams.set("sysparm_limit", "1");
    const body = await this.request(url, { method: "GET" }, signal);
    const results = typeof body === "object" && body !== null ? (body as { result?: unknown }).result : undefined;
    return Array.isArray(results) ? refOf(results[0] as Record<string, unknown> | undefined) : undefined;
  }

  /** Creates the incident; ServiceNow answers 201 with the record. */
  async createIncident(incident: IncidentBody, signal?: AbortSignal): Promise<IncidentRef> {
    const body = await this.request(
      `${this.baseUrl}/api/now/v1/table/incident`,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(incident) },
      signal,
    );
    const ref = refOf(resultOf(body));
    // Not an incident (an SSO login page, a proxy): retrying would not help.
    if (!ref) throw new DeliveryError(`${this.service} answered without the incident's sys_id; is instance the ServiceNow instance?`, { retryable: false });
    return ref;
  }

  /** Sets fields of an incident. */
  async updateIncident(sysId: string, fields: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<void> {
    await this.request(
      `${this.baseUrl}/api/now/v1/table/incident/${encodeURIComponent(sysId)}`,
      { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(fields) },
      signal,
    );
  }

  /** Attaches a file to an incident, with the file's Content-Type. */
  async attach(sysId: string, file: AttachedFile, signal?: AbortSignal): Promise<void> {
    const url = new URL(`${this.baseUrl}/api/now/v1/attachment/file`);
    url.searchParams.set("table_name", "incident");
    url.searchParams.set("table_sys_id", sysId);
    url.searchParams.set("file_name", file.filename);
    await this.request(url, { method: "POST", headers: { "content-type": file.contentType }, body: new Uint8Array(file.bytes) }, signal);
  }

  private async request(url: string | URL, init: { method: string; headers?: Record<string, string>; body?: string | Uint8Array }, signal: AbortSignal | undefined): Promise<unknown> {
    return this.http.sendForJson({
      service: this.service,
      url,
      init: { ...init, headers: { accept: "application/json", authorization: this.authorization, ...init.headers } },
      signal,
      errorOf: (response, now) => serviceNowError(this.service, response, now),
    });
  }
}
