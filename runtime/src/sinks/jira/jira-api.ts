/**
 * The Jira Cloud REST v3 calls the sink makes, one request each (the delivery queue retries),
 * with basic authentication (email and API token). Failures throw JiraErrors naming the site's
 * host and what was being done, never the token.
 */
import type { AttachedFile } from "../common/files.js";
import { basicAuth, HttpClient } from "../common/http.js";
import type { AdfDoc } from "./adf.js";
import { jiraErrorOf } from "./jira-errors.js";
import type { AttachmentPolicy } from "./render-description.js";

/** An issue as Jira names it. */
export interface IssueRef {
  readonly id: string;
  readonly key: string;
}

/** An issue a search found, with what deciding its fate needs. */
export interface FoundIssue extends IssueRef {
  /** Its status's name: "To Do", "Done", ... */
  readonly status: string;
  /** Its resolution's name ("Done", "Won't Do"), "" when unresolved. */
  readonly resolution: string;
}

export interface Transition {
  readonly id: string;
  /** The name of the status it leads to. */
  readonly to: string;
}

export interface NamedThing {
  readonly id: string;
  readonly name: string;
  readonly key?: string;
}

type Fields = Readonly<Record<string, unknown>>;

const record = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");

export class JiraApi {
  /** "Jira workspace.atlassian.net": what errors and logs name. */
  readonly service: string;
  private readonly authorization: string;

  constructor(
    private readonly baseUrl: string,
    username: string,
    apiKey: string,
    private readonly http: HttpClient,
  ) {
    this.service = `Jira ${new URL(baseUrl).host}`;
    this.authorization = basicAuth(username, apiKey);
  }

  private url(path: string, query: Readonly<Record<string, string>> = {}): URL {
    const url = new URL(`${this.baseUrl}/rest/api/3/${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  private async call(action: string, method: string, url: URL, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    return this.http.sendForJson({
      service: this.service,
      url,
      init: {
        method,
        headers: {
          authorization: this.authorization,
          accept: "application/json",
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      },
      signal,
      errorOf: jiraErrorOf(this.service, action),
    });
  }

  /** Projects whose name or key contains `query` (GET /project/search), first page. */
  async searchProjects(query: string, signal?: AbortSignal): Promise<NamedThing[]> {
    const answer = await this.call(`look up project "${query}"`, "GET", this.url("project/search", { query }), undefined, signal);
    return list(record(answer).values).map((project) => ({ id: str(record(project).id), name: str(record(project).name), key: str(record(project).key) }));
  }

  /** The project's issue types (GET /issuetype/project). */
  async issueTypes(projectId: string, signal?: AbortSignal): Promise<NamedThing[]> {
    const answer = await this.call("list the project's issue types", "GET", this.url("issuetype/project", { projectId }), undefined, signal);
    return list(answer).map((type) => ({ id: str(record(type).id), name: str(record(type).name) }));
  }

  /** Whether attachments are on and how large they may be (GET /attachment/meta). */
  async attachmentPolicy(signal?: AbortSignal): Promise<AttachmentPolicy> {
    const answer = record(await this.call("read the attachment settings", "GET", this.url("attachment/meta"), undefined, signal));
    return { enabled: answer.enabled !== false, uploadLimit: typeof answer.uploadLimit === "number" ? answer.uploadLimit : Number.POSITIVE_INFINITY };
  }

  /**
   * Issues matching `jql` (POST /search/jql), with their status and resolution. Jira's search is
   * eventually consistent; `reconcile` (issue ids, at most 50) are searched as they are now.
   */
  async search(jql: string, maxResults: number, reconcile: readonly string[], signal?: AbortSignal): Promise<FoundIssue[]> {
    const body = {
      jql,
      maxResults,
      fields: ["status", "resolution"],
      ...(reconcile.length > 0 && { reconcileIssues: reconcile.map(Number) }),
    };
    const answer = await this.call("search issues", "POST", this.url("search/jql"), body, signal);
    return list(record(answer).issues).map((issue) => {
      const fields = record(record(issue).fields);
      return {
        id: str(record(issue).id),
        key: str(record(issue).key),
        status: str(record(fields.status).name),
        resolution: str(record(fields.resolution).name),
      };
    });
  }

  /** Creates an issue (POST /issue). */
  async createIssue(fields: Fields, signal?: AbortSignal): Promise<IssueRef> {
    const answer = record(await this.call("create an issue", "POST", this.url("issue"), { fields }, signal));
    return { id: str(answer.id), key: str(answer.key) };
  }

  /** Edits an issue's fields (PUT /issue/{key}). */
  async editIssue(issue: string, fields: Fields, signal?: AbortSignal): Promise<void> {
    await this.call(`edit issue ${issue}`, "PUT", this.url(`issue/${encodeURIComponent(issue)}`), { fields }, signal);
  }

  /** The name of the issue's status now (GET /issue/{key}?fields=status). */
  async status(issue: string, signal?: AbortSignal): Promise<string> {
    const answer = await this.call(`read the status of ${issue}`, "GET", this.url(`issue/${encodeURIComponent(issue)}`, { fields: "status" }), undefined, signal);
    return str(record(record(record(answer).fields).status).name);
  }

  /** The transitions the issue may take now (GET /issue/{key}/transitions). */
  async transitions(issue: string, signal?: AbortSignal): Promise<Transition[]> {
    const answer = await this.call(`list the transitions of ${issue}`, "GET", this.url(`issue/${encodeURIComponent(issue)}/transitions`), undefined, signal);
    return list(record(answer).transitions).map((transition) => ({ id: str(record(transition).id), to: str(record(record(transition).to).name) }));
  }

  /** Moves the issue along a transition (POST /issue/{key}/transitions). */
  async transition(issue: string, transitionId: string, signal?: AbortSignal): Promise<void> {
    await this.call(`transition ${issue}`, "POST", this.url(`issue/${encodeURIComponent(issue)}/transitions`), { transition: { id: transitionId } }, signal);
  }

  /** Comments on the issue (POST /issue/{key}/comment). */
  async comment(issue: string, body: AdfDoc, signal?: AbortSignal): Promise<void> {
    await this.call(`comment on ${issue}`, "POST", this.url(`issue/${encodeURIComponent(issue)}/comment`), { body }, signal);
  }

  /** Attaches a file (POST /issue/{key}/attachments: multipart "file", with the no-check header Jira's XSRF guard wants). */
  async attach(issue: string, file: AttachedFile, signal?: AbortSignal): Promise<void> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
    await this.http.sendAndDiscard({
      service: this.service,
      url: this.url(`issue/${encodeURIComponent(issue)}/attachments`),
      init: { method: "POST", headers: { authorization: this.authorization, accept: "application/json", "x-atlassian-token": "no-check" }, body: form },
      signal,
      errorOf: jiraErrorOf(this.service, `attach ${file.filename} to ${issue}`),
    });
  }
}
