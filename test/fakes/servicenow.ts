/**
 * A loopback ServiceNow instance for the service_now_sink tests: the Table API on `incident`
 * (create, encoded-query list, update) and the Attachment API, behind basic authentication, with
 * ServiceNow's error body ({"error": {"message", "detail"}, "status": "failure"}), the default
 * data policy that refuses to resolve or close an incident without a resolution code and notes
 * (403 "Data Policy Exception"), and its rate-limit answer (429, Retry-After, X-RateLimit-*).
 * Records what it received; `failNext` injects failures.
 */
import { type Answer, HttpFake, type Incoming, type ReceivedRequest as BaseRequest } from "./http-fake.js";

export interface FakeIncident {
  readonly sys_id: string;
  readonly number: string;
  /** The fields as last written (state and active as strings, as ServiceNow returns them). */
  fields: Record<string, unknown>;
}

export interface FakeAttachment {
  readonly sys_id: string;
  readonly table_name: string;
  readonly table_sys_id: string;
  readonly file_name: string;
  readonly content_type: string;
  readonly bytes: Buffer;
}

export interface ReceivedRequest extends BaseRequest {
  /** Path and query, as sent (the same as `path`). */
  readonly url: string;
}

/** Which call a failure applies to. */
export type Route = "create" | "query" | "update" | "attach";

export interface Failure {
  readonly status: number;
  /** ServiceNow's error message. Default: the status's usual one. */
  readonly message?: string;
  readonly detail?: string;
  /** Seconds, sent as Retry-After (429). */
  readonly retryAfter?: number;
  /** Applies to the next request of this kind only. Default: the next request, whatever it is. */
  readonly route?: Route;
}

const DEFAULT_MESSAGES: Readonly<Record<number, [string, string | null]>> = {
  400: ["Exception while reading request", "The payload is not valid JSON."],
  401: ["User Not Authenticated", "Required to provide Auth information"],
  403: ["Operation Failed", "ACL Exception Insert Failed due to security constraints"],
  404: ["No Record found", "Record doesn't exist or ACL restricts the record retrieval"],
  429: ["Rate limit exceeded", "Rate limit of 100 requests per hour for rule 'Robusta' exceeded"],
  500: ["Internal Server Error", "Transaction cancelled: maximum execution time exceeded"],
  503: ["Service Unavailable", "The instance is unavailable, try again later"],
};

/** The fields a resolve or close must have, with their labels. */
const CLOSE_INFO = [
  ["close_code", "Resolution code"],
  ["close_notes", "Resolution notes"],
] as const;

export class FakeServiceNow extends HttpFake<Failure, Route> {
  declare readonly requests: ReceivedRequest[];
  readonly incidents = new Map<string, FakeIncident>();
  readonly attachments: FakeAttachment[] = [];
  private incidentCount = 0;
  private idCount = 0;

  private constructor(
    private readonly credentials: { readonly username: string; readonly password: string },
    private readonly now: () => number,
  ) {
    super();
  }

  /** Starts an instance on 127.0.0.1 and a free port that accepts `username`/`password`; its `url` is the instance's. */
  static start(credentials: { username: string; password: string }, now: () => number = Date.now): Promise<FakeServiceNow> {
    return new FakeServiceNow(credentials, now).listen();
  }

  /** Adds an incident as if created earlier (another finding, a person). */
  seedIncident(fields: Record<string, unknown>): FakeIncident {
    return this.insert(fields);
  }

  protected override record(request: BaseRequest): ReceivedRequest {
    return { ...request, url: request.path };
  }

  /** Answers a failure `failNext` queued for this route, or for any. */
  protected override applies(failure: Failure, route: Route): boolean {
    return failure.route === undefined || failure.route === route;
  }

  protected override respond({ method, url, headers, bytes }: Incoming): Answer {
    const answer = this.answer(method, url, headers, bytes);
    return { ...answer, headers: { "content-type": "application/json;charset=UTF-8", ...answer.headers } };
  }

  private answer(method: string, url: URL, headers: Readonly<Record<string, string>>, body: Buffer): Answer {
    if (headers.authorization !== `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`) {
      return { ...this.error(401), headers: { "www-authenticate": 'BASIC realm="Service-now"' } };
    }
    const route = routeOf(method, url.pathname);
    if (!route) return { status: 400, body: { error: { message: `Requested URI does not represent any resource: ${url.pathname}`, detail: null }, status: "failure" } };
    const failure = this.takeFailure(route);
    if (failure) return this.failed(failure);
    switch (route) {
      case "create":
        return this.create(body);
      case "query":
        return this.query(url);
      case "update":
        return this.update(decodeURIComponent(url.pathname.split("/").pop()!), body);
      case "attach":
        return this.attach(url, headers, body);
    }
  }

  private create(body: Buffer): Answer {
    const fields = parseJson(body);
    if (!fields) return this.error(400);
    return { status: 201, body: { result: recordOf(this.insert(fields)) } };
  }

  private query(url: URL): Answer {
    const conditions = (url.searchParams.get("sysparm_query") ?? "").split(/(?<!\^)\^(?!\^)/).filter((part) => part !== "");
    let found = [...this.incidents.values()];
    for (const condition of conditions) {
      if (condition.startsWith("ORDERBYDESC")) {
        found = found.reverse(); // incidents are kept in creation order
        continue;
      }
      const match = /^(\w+)(!=|=)(.*)$/.exec(condition);
      if (!match) return this.error(400, "Invalid query", condition);
      const [, field, operator, raw] = match;
      const value = raw!.replaceAll("^^", "^");
      found = found.filter((incident) => (String(incident.fields[field!] ?? "") === value) === (operator === "="));
    }
    const limit = Number(url.searchParams.get("sysparm_limit") ?? found.length);
    const fields = url.searchParams.get("sysparm_fields")?.split(",");
    const records = found.slice(0, limit).map(recordOf);
    return { status: 200, body: { result: fields ? records.map((record) => Object.fromEntries(fields.map((name) => [name, record[name] ?? ""]))) : records } };
  }

  private update(sysId: string, body: Buffer): Answer {
    const incident = this.incidents.get(sysId);
    if (!incident) return this.error(404);
    const fields = parseJson(body);
    if (!fields) return this.error(400);
    const updated: Record<string, unknown> = { ...incident.fields, ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)])) };
    // A default instance's data policy "Make close info mandatory when resolved or closed".
    const missing = ["6", "7"].includes(String(updated.state))
      ? CLOSE_INFO.filter(([name]) => !updated[name]).map(([, label]) => label)
      : [];
    if (missing.length > 0) return this.error(403, "Operation Failed", `Data Policy Exception: \n${missing.map((label) => `\t${label} is mandatory\n`).join("")}`);
    incident.fields = updated;
    // Closed (7) and Canceled (8) incidents are no longer active; Resolved (6) ones still are.
    incident.fields.active = ["7", "8"].includes(String(incident.fields.state)) ? "false" : "true";
    return { status: 200, body: { result: recordOf(incident) } };
  }

  private attach(url: URL, headers: Readonly<Record<string, string>>, body: Buffer): Answer {
    const table = url.searchParams.get("table_name");
    const tableSysId = url.searchParams.get("table_sys_id");
    const fileName = url.searchParams.get("file_name");
    if (!table || !tableSysId || !fileName) return this.error(400, "Missing required parameter", "table_name, table_sys_id and file_name are required");
    if (table !== "incident" || !this.incidents.has(tableSysId)) return this.error(400, "Invalid table or record", `${table} ${tableSysId}`);
    const attachment = { sys_id: this.nextSysId(), table_name: table, table_sys_id: tableSysId, file_name: fileName, content_type: headers["content-type"] ?? "", bytes: body };
    this.attachments.push(attachment);
    const { bytes, ...rest } = attachment;
    return { status: 201, body: { result: { ...rest, size_bytes: String(bytes.length), download_link: `${this.url}/api/now/attachment/${attachment.sys_id}/file` } } };
  }

  private insert(fields: Record<string, unknown>): FakeIncident {
    this.incidentCount++;
    const incident: FakeIncident = {
      sys_id: this.nextSysId(),
      number: `INC${String(10_000 + this.incidentCount).padStart(7, "0")}`,
      fields: { state: "1", active: "true", ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)])) },
    };
    this.incidents.set(incident.sys_id, incident);
    return incident;
  }

  private nextSysId(): string {
    return (++this.idCount).toString(16).padStart(32, "0");
  }

  private failed(failure: Failure): Answer {
    const answer = this.error(failure.status, failure.message, failure.detail);
    if (failure.status !== 429) return answer;
    const retryAfter = failure.retryAfter ?? 60;
    return {
      ...answer,
      headers: {
        "retry-after": String(retryAfter),
        "x-ratelimit-limit": "100",
        "x-ratelimit-reset": String(Math.floor(this.now() / 1000) + retryAfter),
        "x-ratelimit-rule": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      },
    };
  }

  private error(status: number, message?: string, detail?: string): Answer {
    const [defaultMessage, defaultDetail] = DEFAULT_MESSAGES[status] ?? ["Error", null];
    return { status, body: { error: { message: message ?? defaultMessage, detail: detail ?? defaultDetail }, status: "failure" } };
  }
}

function routeOf(method: string, path: string): Route | undefined {
  const table = /^\/api\/now(?:\/v[12])?\/table\/incident(?:\/([^/]+))?$/.exec(path);
  if (table) {
    if (method === "POST" && !table[1]) return "create";
    if (method === "GET" && !table[1]) return "query";
    if ((method === "PATCH" || method === "PUT") && table[1]) return "update";
    return undefined;
  }
  return method === "POST" && /^\/api\/now(?:\/v1)?\/attachment\/file$/.test(path) ? "attach" : undefined;
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString("utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const recordOf = (incident: FakeIncident): Record<string, unknown> => ({ ...incident.fields, sys_id: incident.sys_id, number: incident.number });
