/**
 * A fake Jira Cloud (the REST v3 calls the Jira sink makes) on a loopback server, for tests. It
 * speaks Jira's shapes and enforces what the real one does to a client:
 * - basic authentication (email:API token); a bad one gets 401 "Client must be authenticated ...";
 * - GET /project/search?query, GET /issuetype/project?projectId, GET /attachment/meta;
 * - POST /issue → 201 {id, key, self}, validating fields as Jira does: 400 with
 *   {"errorMessages": [], "errors": {field: message}} for an unknown project, issue type or
 *   priority, a summary over 255 characters or with line breaks, a description that is not ADF
 *   or whose JSON is over 32,767 characters, labels with spaces;
 * - GET /issue/{key}?fields=a,b; PUT /issue/{key} → 204; 404 {"errorMessages": ["Issue does not exist ..."]} for unknown ones;
 * - POST /search/jql with `project = N AND labels = "x" ... ORDER BY created DESC`, maxResults
 *   and reconcileIssues; the removed POST/GET /search answers 410. Like Jira's, the search is
 *   eventually consistent when `searchLag` is on: new issues are found only after `settle()`,
 *   or when named in reconcileIssues;
 * - GET/POST /issue/{key}/transitions (to any other status; "Done" sets the resolution), POST
 *   /issue/{key}/comment;
 * - POST /issue/{key}/attachments: multipart field "file", the X-Atlassian-Token: no-check
 *   header (403 "XSRF check failed" without it), 413 over the upload limit;
 * - `failNext(n, failure)` answers the next n matching calls with a status (429 with Retry-After,
 *   5xx, ...) instead.
 * Every call is recorded.
 */
import { type Answer, HttpFake, type Incoming } from "./http-fake.js";

export interface FakeProject {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly issueTypes: readonly { readonly id: string; readonly name: string }[];
}

export interface FakeJiraOptions {
  readonly email?: string;
  readonly apiToken?: string;
  /** Default: "Operations" (OPS, id 10000) with Task 10001, Bug 10002, Epic 10003. */
  readonly projects?: readonly FakeProject[];
  /** Default: Jira Cloud's default scheme, Highest to Lowest. */
  readonly priorities?: readonly string[];
  /** The workflow's statuses, the first for new issues. Default: To Do, In Progress, Done. */
  readonly statuses?: readonly string[];
  readonly attachments?: { readonly enabled: boolean; readonly uploadLimit: number };
  /** New issues are not found by searches until `settle()` (unless reconciled). */
  readonly searchLag?: boolean;
}

export interface FakeAttachment {
  readonly filename: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

export interface FakeIssue {
  readonly id: string;
  readonly key: string;
  readonly projectId: string;
  /** The fields as last created or edited. */
  fields: Record<string, unknown>;
  status: string;
  resolution: string | null;
  readonly comments: unknown[];
  readonly attachments: FakeAttachment[];
  /** Whether searches find it (see `searchLag`). */
  indexed: boolean;
}

export interface JiraCall {
  readonly method: string;
  /** Under /rest/api/3, decoded, without the query: "issue", "issue/OPS-1/transitions". */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The JSON body, when there was one. */
  readonly body: unknown;
  readonly status: number;
}

export interface JiraFailure {
  readonly status: number;
  /** The Retry-After header. */
  readonly retryAfter?: string;
  /** Default: {"errorMessages": [<a message for the status>], "errors": {}}. */
  readonly body?: unknown;
  /** Fail only calls with this method and a path matching this. Default: any call. */
  readonly method?: string;
  readonly path?: RegExp;
}

const API = "/rest/api/3/";
export const SUMMARY_MAX = 255;
export const TEXT_FIELD_MAX = 32_767;

const DEFAULT_PROJECT: FakeProject = {
  id: "10000",
  key: "OPS",
  name: "Operations",
  issueTypes: [
    { id: "10001", name: "Task" },
    { id: "10002", name: "Bug" },
    { id: "10003", name: "Epic" },
  ],
};

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  429: "Rate limit exceeded.",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
};

const errorBody = (errorMessages: readonly string[], errors: Record<string, string> = {}) => ({ errorMessages, errors });
const NO_ISSUE = errorBody(["Issue does not exist or you do not have permission to see it."]);

class HttpAnswer implements Answer {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A failure is looked for by the call's method and path (under /rest/api/3), which its `method` and `path` may pick. */
export class FakeJira extends HttpFake<JiraFailure, { readonly method: string; readonly path: string }> {
  readonly calls: JiraCall[] = [];
  readonly issues: FakeIssue[] = [];
  readonly projects: readonly FakeProject[];
  readonly priorities: readonly string[];
  readonly statuses: readonly string[];
  attachmentSettings: { enabled: boolean; uploadLimit: number };
  searchLag: boolean;
  private readonly authorization: string;
  private nextId = 10100;

  private constructor(options: FakeJiraOptions) {
    super();
    this.authorization = `Basic ${Buffer.from(`${options.email ?? "robusta@example.com"}:${options.apiToken ?? "jira-t0ken"}`).toString("base64")}`;
    this.projects = options.projects ?? [DEFAULT_PROJECT];
    this.priorities = options.priorities ?? ["Highest", "High", "Medium", "Low", "Lowest"];
    this.statuses = options.statuses ?? ["To Do", "In Progress", "Done"];
    this.attachmentSettings = { ...(options.attachments ?? { enabled: true, uploadLimit: 10 * 1024 * 1024 }) };
    this.searchLag = options.searchLag ?? false;
  }

  /** Starts the site on 127.0.0.1 and a free port; its `url` is the sink's `url`. */
  static start(options: FakeJiraOptions = {}): Promise<FakeJira> {
    return new FakeJira(options).listen();
  }

  /** Lets searches find every issue (Jira's index caught up). */
  settle(): void {
    for (const issue of this.issues) issue.indexed = true;
  }

  issue(key: string): FakeIssue | undefined {
    return this.issues.find((issue) => issue.key === key || issue.id === key);
  }

  /** Sets an issue's status as a person would (a "Done" status resolves it as `resolution`, default "Done"). */
  setStatus(key: string, status: string, resolution?: string): void {
    const issue = this.issue(key)!;
    issue.status = status;
    issue.resolution = status === this.doneStatus ? (resolution ?? "Done") : null;
  }

  /** Calls with this method whose path matches. */
  callsTo(method: string, path: RegExp): JiraCall[] {
    return this.calls.filter((call) => call.method === method && path.test(call.path));
  }

  private get doneStatus(): string {
    return this.statuses[this.statuses.length - 1]!;
  }

  protected override async respond({ method, url, headers, bytes }: Incoming): Promise<Answer> {
    const path = url.pathname.startsWith(API) ? decodeURIComponent(url.pathname.slice(API.length)) : url.pathname;
    let body: unknown;
    if ((headers["content-type"] ?? "").includes("application/json") && bytes.length > 0) {
      try {
        body = JSON.parse(bytes.toString("utf8"));
      } catch {
        body = Symbol.for("invalid-json");
      }
    }
    const answer = await this.answer(headers, method, path, url, body, bytes);
    this.calls.push({ method, path, query: Object.fromEntries(url.searchParams), headers, body, status: answer.status });
    return answer;
  }

  private async answer(headers: Readonly<Record<string, string>>, method: string, path: string, url: URL, body: unknown, bytes: Buffer): Promise<HttpAnswer> {
    if (headers.authorization !== this.authorization) return new HttpAnswer(401, "Client must be authenticated to access this resource.");
    const failure = this.takeFailure({ method, path });
    if (failure) {
      const retry: Record<string, string> = failure.retryAfter !== undefined ? { "retry-after": failure.retryAfter } : {};
      return new HttpAnswer(failure.status, failure.body ?? errorBody([DEFAULT_MESSAGES[failure.status] ?? `Failed with ${failure.status}`]), retry);
    }
    if (body === Symbol.for("invalid-json")) return new HttpAnswer(400, errorBody(["Unexpected character in the request body."]));

    const route = `${method} ${path}`;
    let match: RegExpExecArray | null;
    if (route === "GET project/search") return this.searchProjects(url.searchParams.get("query") ?? "");
    if (route === "GET issuetype/project") return this.issueTypes(url.searchParams.get("projectId") ?? "");
    if (route === "GET attachment/meta") return new HttpAnswer(200, this.attachmentSettings);
    if (route === "GET search" || route === "POST search") {
      return new HttpAnswer(410, errorBody(["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."]));
    }
    if (route === "POST search/jql") return this.search(body);
    if (route === "POST issue") return this.create(body);
    if ((match = /^(GET|PUT) issue\/([^/]+)$/.exec(route))) return match[1] === "PUT" ? this.edit(match[2]!, body) : this.get(match[2]!, url.searchParams.get("fields"));
    if ((match = /^(GET|POST) issue\/([^/]+)\/transitions$/.exec(route))) return match[1] === "GET" ? this.transitions(match[2]!) : this.transition(match[2]!, body);
    if ((match = /^POST issue\/([^/]+)\/comment$/.exec(route))) return this.comment(match[1]!, body);
    if ((match = /^POST issue\/([^/]+)\/attachments$/.exec(route))) return this.attach(match[1]!, headers["content-type"] ?? "", headers["x-atlassian-token"], bytes);
    return new HttpAnswer(404, errorBody([`No route for ${method} ${path}`]));
  }

  protected override applies(failure: JiraFailure, { method, path }: { method: string; path: string }): boolean {
    return (failure.method === undefined || failure.method === method) && (failure.path === undefined || failure.path.test(path));
  }

  // ---------------------------------------------------------------- projects

  private searchProjects(query: string): HttpAnswer {
    const needle = query.toLowerCase();
    const values = this.projects
      .filter((project) => project.name.toLowerCase().includes(needle) || project.key.toLowerCase().includes(needle))
      .map((project) => ({ self: `${this.url}${API}project/${project.id}`, id: project.id, key: project.key, name: project.name }));
    return new HttpAnswer(200, { self: `${this.url}${API}project/search`, maxResults: 50, startAt: 0, total: values.length, isLast: true, values });
  }

  private issueTypes(projectId: string): HttpAnswer {
    const project = this.projects.find((candidate) => candidate.id === projectId);
    if (!project) return new HttpAnswer(404, errorBody([`No project could be found with id '${projectId}'.`]));
    return new HttpAnswer(
      200,
      project.issueTypes.map((type) => ({ self: `${this.url}${API}issuetype/${type.id}`, id: type.id, name: type.name, subtask: false, hierarchyLevel: 0 })),
    );
  }

  // ---------------------------------------------------------------- issues

  private issueJson(issue: FakeIssue) {
    return { id: issue.id, key: issue.key, self: `${this.url}${API}issue/${issue.id}` };
  }

  /** Field errors Jira would give `fields` (for a create when `creating`). */
  private fieldErrors(fields: Record<string, unknown>, creating: boolean): Record<string, string> {
    const errors: Record<string, string> = {};
    if (creating || "summary" in fields) {
      const summary = fields.summary;
      if (typeof summary !== "string" || summary.trim() === "") errors.summary = "You must specify a summary of the issue.";
      else if (/[\r\n]/.test(summary)) errors.summary = "The summary is invalid because it contains newline characters.";
      else if (summary.length > SUMMARY_MAX) errors.summary = "Summary must be less than 255 characters.";
    }
    if ("description" in fields) {
      const problem = adfProblem(fields.description);
      if (problem) errors.description = `Operation value must be an Atlassian Document (see the Atlassian Document Format): ${problem}`;
      else if (JSON.stringify(fields.description).length > TEXT_FIELD_MAX) {
        errors.description = "The entered text is too long. It exceeds the allowed limit of 32,767 characters.";
      }
    }
    if ("labels" in fields) {
      const labels = fields.labels;
      if (!Array.isArray(labels) || labels.some((label) => typeof label !== "string")) errors.labels = "Labels must be a list of strings.";
      else {
        const spaced = labels.find((label: string) => /\s/.test(label));
        const long = labels.find((label: string) => label.length > 255);
        if (spaced !== undefined) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
        else if (long !== undefined) errors.labels = `The label '${long}' exceeds the maximum length for a single label of 255 characters.`;
      }
    }
    if ("priority" in fields) {
      const name = (fields.priority as { name?: unknown } | null)?.name;
      if (typeof name !== "string") errors.priority = "Specify the Priority (name) in the string format";
      else if (!this.priorities.includes(name)) errors.priority = "Specify a valid 'id' or 'name' for Priority";
    }
    if ("parent" in fields) {
      const key = (fields.parent as { key?: unknown } | null)?.key;
      if (typeof key !== "string" || !this.issue(key)) errors.parent = "Could not find issue by id or key.";
    }
    return errors;
  }

  private create(body: unknown): HttpAnswer {
    const fields = (body as { fields?: Record<string, unknown> } | undefined)?.fields;
    if (typeof fields !== "object" || fields === null) return new HttpAnswer(400, errorBody(["Can not deserialize the request: fields are missing."]));
    const projectId = (fields.project as { id?: unknown } | undefined)?.id;
    const project = this.projects.find((candidate) => candidate.id === projectId);
    const errors = this.fieldErrors(fields, true);
    if (!project) errors.project = "valid project is required";
    else if (!project.issueTypes.some((type) => type.id === (fields.issuetype as { id?: unknown } | undefined)?.id)) {
      errors.issuetype = "The issue type selected is invalid.";
    }
    if (Object.keys(errors).length > 0) return new HttpAnswer(400, errorBody([], errors));
    const id = String(this.nextId++);
    const issue: FakeIssue = {
      id,
      key: `${project!.key}-${this.issues.filter((candidate) => candidate.projectId === project!.id).length + 1}`,
      projectId: project!.id,
      fields: { ...fields },
      status: this.statuses[0]!,
      resolution: null,
      comments: [],
      attachments: [],
      indexed: !this.searchLag,
    };
    this.issues.push(issue);
    return new HttpAnswer(201, this.issueJson(issue));
  }

  /** GET /issue/{key}, with the comma-separated `fields` asked for (default all). */
  private get(key: string, fields: string | null): HttpAnswer {
    const issue = this.issue(key);
    if (!issue) return new HttpAnswer(404, NO_ISSUE);
    return new HttpAnswer(200, { ...this.issueJson(issue), fields: this.fieldsJson(issue, fields ? fields.split(",") : ["*all"]) });
  }

  private edit(key: string, body: unknown): HttpAnswer {
    const issue = this.issue(key);
    if (!issue) return new HttpAnswer(404, NO_ISSUE);
    const fields = (body as { fields?: Record<string, unknown> } | undefined)?.fields ?? {};
    const errors = this.fieldErrors(fields, false);
    if (Object.keys(errors).length > 0) return new HttpAnswer(400, errorBody([], errors));
    issue.fields = { ...issue.fields, ...fields };
    return new HttpAnswer(204);
  }

  private fieldsJson(issue: FakeIssue, wanted: readonly string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      ...issue.fields,
      status: { name: issue.status },
      resolution: issue.resolution === null ? null : { name: issue.resolution },
    };
    return wanted.includes("*all") ? all : Object.fromEntries(wanted.filter((name) => name in all).map((name) => [name, all[name]]));
  }

  // ---------------------------------------------------------------- search

  private search(body: unknown): HttpAnswer {
    const request = (body ?? {}) as { jql?: unknown; maxResults?: unknown; fields?: unknown; reconcileIssues?: unknown };
    if (typeof request.jql !== "string") return new HttpAnswer(400, errorBody(["The JQL query is required."]));
    const query = parseJql(request.jql);
    if (typeof query === "string") return new HttpAnswer(400, errorBody([query]));
    const reconcile = Array.isArray(request.reconcileIssues) ? request.reconcileIssues.map(String) : [];
    if (reconcile.length > 50) return new HttpAnswer(400, errorBody(["The maximum number of issues to reconcile is 50."]));
    const matching = this.issues
      .filter((issue) => issue.indexed || reconcile.includes(issue.id))
      .filter((issue) => query.project === undefined || issue.projectId === query.project || this.projects.find((p) => p.id === issue.projectId)?.key === query.project)
      .filter((issue) => query.labels.every((label) => ((issue.fields.labels as string[] | undefined) ?? []).includes(label)))
      .sort((a, b) => (query.newestFirst ? Number(b.id) - Number(a.id) : Number(a.id) - Number(b.id)));
    const maxResults = typeof request.maxResults === "number" ? request.maxResults : 50;
    const fields = Array.isArray(request.fields) ? (request.fields as string[]) : [];
    const page = matching.slice(0, maxResults);
    return new HttpAnswer(200, {
      issues: page.map((issue) => ({ ...this.issueJson(issue), ...(fields.length > 0 && { fields: this.fieldsJson(issue, fields) }) })),
      isLast: page.length === matching.length,
      ...(page.length < matching.length && { nextPageToken: `page-${page.length}` }),
    });
  }

  // ---------------------------------------------------------------- workflow

  private transitionsOf(issue: FakeIssue) {
    return this.statuses
      .map((status, i) => ({ id: String(11 + i * 10), name: status, to: { name: status, id: String(1 + i) }, hasScreen: false }))
      .filter((transition) => transition.name !== issue.status);
  }

  private transitions(key: string): HttpAnswer {
    const issue = this.issue(key);
    if (!issue) return new HttpAnswer(404, NO_ISSUE);
    return new HttpAnswer(200, { expand: "transitions", transitions: this.transitionsOf(issue) });
  }

  private transition(key: string, body: unknown): HttpAnswer {
    const issue = this.issue(key);
    if (!issue) return new HttpAnswer(404, NO_ISSUE);
    const id = (body as { transition?: { id?: unknown } } | undefined)?.transition?.id;
    const transition = this.transitionsOf(issue).find((candidate) => candidate.id === id);
    if (!transition) return new HttpAnswer(400, errorBody([`Transition id '${String(id)}' is not valid for this issue.`]));
    this.setStatus(issue.key, transition.to.name);
    return new HttpAnswer(204);
  }

  private comment(key: string, body: unknown): HttpAnswer {
    const issue = this.issue(key);
    if (!issue) return new HttpAnswer(404, NO_ISSUE);
    const problem = adfProblem((body as { body?: unknown } | undefined)?.body);
    if (problem) return new HttpAnswer(400, errorBody([], { comment: `Comment body is not valid ADF: ${problem}` }));
    issue.comments.push((body as { body: unknown }).body);
    return new HttpAnswer(201, { id: String(issue.comments.length + 20000), body: (body as { body: unknown }).body });
  }

  // ---------------------------------------------------------------- attachments

  private async attach(key: string, contentType: string, xsrfToken: string | undefined, bytes: Buffer): Promise<HttpAnswer> {
    if (xsrfToken !== "no-check") return new HttpAnswer(403, "XSRF check failed");
    const issue = this.issue(key);
    if (!issue) return new HttpAnswer(404, NO_ISSUE);
    if (!this.attachmentSettings.enabled) return new HttpAnswer(403, errorBody(["Attachments are disabled."]));
    let form: FormData;
    try {
      form = await new Request(this.url, { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(bytes) }).formData();
    } catch {
      return new HttpAnswer(415, errorBody(["The request is not multipart/form-data."]));
    }
    const files = form.getAll("file").filter((value): value is File => typeof value !== "string");
    if (files.length === 0) return new HttpAnswer(400, errorBody(["No file was attached: send the multipart field \"file\"."]));
    const added: FakeAttachment[] = [];
    for (const file of files) {
      if (file.size > this.attachmentSettings.uploadLimit) {
        return new HttpAnswer(413, errorBody([`The file ${file.name} is ${file.size} bytes, over the limit of ${this.attachmentSettings.uploadLimit}.`]));
      }
      added.push({ filename: file.name, mimeType: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
    }
    issue.attachments.push(...added);
    return new HttpAnswer(
      200,
      added.map((file, i) => ({ id: String(30000 + issue.attachments.length + i), filename: file.filename, size: file.bytes.length, mimeType: file.mimeType })),
    );
  }
}

/** The JQL the sink writes: `project = X AND labels = "a" AND ... [ORDER BY created DESC]`; a message for anything else. */
function parseJql(jql: string): { project?: string; labels: string[]; newestFirst: boolean } | string {
  const [where = "", order] = jql.split(/\s+ORDER\s+BY\s+/i);
  const labels: string[] = [];
  let project: string | undefined;
  for (const clause of where.split(/\s+AND\s+/i)) {
    const match = /^\s*(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+))\s*$/.exec(clause);
    if (!match) return `Error in the JQL Query: could not read '${clause.trim()}'.`;
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? match[4]!);
    if (match[1] === "project") project = value;
    else if (match[1] === "labels") labels.push(value);
    else return `Field '${match[1]}' does not exist or you do not have permission to view it.`;
  }
  if (project === undefined && labels.length === 0) return "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";
  return { ...(project !== undefined && { project }), labels, newestFirst: /created\s+DESC/i.test(order ?? "") };
}

const MARKS = new Set(["strong", "em", "strike", "code", "link", "underline", "textColor", "subsup"]);
const BLOCKS = new Set(["paragraph", "heading", "codeBlock", "bulletList", "orderedList", "listItem", "rule", "table", "tableRow", "tableHeader", "tableCell", "blockquote", "panel"]);

/** What makes `value` not an ADF document Jira takes, or undefined when it is fine. */
export function adfProblem(value: unknown): string | undefined {
  const node = value as { type?: unknown; version?: unknown; content?: unknown } | null;
  if (typeof node !== "object" || node === null || node.type !== "doc" || node.version !== 1 || !Array.isArray(node.content)) return "not a doc";
  const check = (child: Record<string, unknown>, path: string): string | undefined => {
    const type = child.type;
    if (type === "text") {
      if (typeof child.text !== "string" || child.text === "") return `${path}: empty text`;
      const marks = (child.marks as { type: string; attrs?: { href?: unknown } }[] | undefined) ?? [];
      if (marks.some((mark) => !MARKS.has(mark.type))) return `${path}: unknown mark`;
      if (marks.some((mark) => mark.type === "code") && marks.some((mark) => mark.type !== "code" && mark.type !== "link")) return `${path}: code mark with others`;
      if (marks.some((mark) => mark.type === "link" && typeof mark.attrs?.href !== "string")) return `${path}: link without href`;
      return undefined;
    }
    if (type === "hardBreak" || type === "rule") return undefined;
    if (typeof type !== "string" || !BLOCKS.has(type)) return `${path}: unknown node ${String(type)}`;
    if (type === "heading" && ![1, 2, 3, 4, 5, 6].includes((child.attrs as { level?: unknown } | undefined)?.level as number)) return `${path}: heading level`;
    const content = (child.content as Record<string, unknown>[] | undefined) ?? [];
    if (type === "codeBlock" && content.some((item) => item.marks !== undefined)) return `${path}: marks in a code block`;
    if (["bulletList", "table", "tableRow", "listItem", "tableCell", "tableHeader"].includes(type) && content.length === 0) return `${path}: empty ${type}`;
    for (const [i, item] of content.entries()) {
      const problem = check(item, `${path}.${i}`);
      if (problem) return problem;
    }
    return undefined;
  };
  for (const [i, child] of (node.content as Record<string, unknown>[]).entries()) {
    const problem = check(child, `content.${i}`);
    if (problem) return problem;
  }
  return undefined;
}
