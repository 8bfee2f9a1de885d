/**
 * Robusta's `jira_sink`: opens a Jira issue per finding; a Prometheus alert instead finds the
 * issue carrying its dedup labels and updates it while it fires, moves it to done when it
 * resolves (`sendResolved`) and reopens it when it fires again (`reopenIssues`).
 *
 * A write is several requests (search, create, attach each file; or transition then comment).
 * The delivery queue retries a failed write as a whole, so the sink remembers, per finding id,
 * the steps it planned and how far it got: a retry resumes at the step that failed, and never
 * opens a second issue for a finding whose issue was created before an attachment failed. And
 * since Jira's search is eventually consistent, issues this sink just created are named in each
 * search (`reconcileIssues`), so an alert that fires again at once updates them rather than
 * opening another.
 */
import type { FileBlock, Finding, Logger } from "@robusta-ts/sdk";
import { DeliveryError } from "../../delivery/delivery-error.js";
import { BaseSink } from "../common/base-sink.js";
import { BoundedCache } from "../common/bounded-cache.js";
import { attachedFile, type AttachedFile } from "../common/files.js";
import { HttpClient, type HttpClientOptions } from "../common/http.js";
import type { DeliveryOptions, SinkBase } from "../sink.js";
import { doc, paragraph, text } from "./adf.js";
import { decide, matchesExisting } from "./decide.js";
import { JiraApi, type FoundIssue, type IssueRef } from "./jira-api.js";
import { JiraError } from "./jira-errors.js";
import type { JiraSinkParams } from "./params.js";
import { issueDescription, notAttachedReason, type AttachmentPolicy } from "./render-description.js";
import { issueLabels, issuePriority, issueSummary } from "./render-fields.js";

export interface JiraSinkOptions extends HttpClientOptions {
  readonly clusterName: string;
  readonly logger: Logger;
}

/** What the sink looks up once: where issues go and what attachments Jira takes. */
interface Setup {
  readonly projectId: string;
  readonly issueTypeId: string;
  readonly attachments: AttachmentPolicy;
}

/** One request-sized piece of a write. */
type Step =
  | { readonly kind: "create" }
  /** The finding's `index`th attachable file, to the issue the create step made. */
  | { readonly kind: "attach"; readonly index: number }
  | { readonly kind: "update"; readonly issue: string }
  | { readonly kind: "transition"; readonly issue: string; readonly status: string; readonly param: "doneStatusName" | "reopenStatusName" }
  | { readonly kind: "comment"; readonly issue: string };

/** A write under way: its steps, how many are done, and the issue it created. */
interface Progress {
  readonly steps: readonly Step[];
  next: number;
  created?: IssueRef;
}

/** Robusta's comment on an issue its alert resolved. */
export const RESOLVED_COMMENT = "Issue was marked as resolved by the Alertmanager";

/** Writes remembered for retries: how many (the least recently used are forgotten first), how long. */
const PROGRESS_MEMORY = { maxEntries: 1000, ttlMs: 24 * 3600_000 };
/** Jira reconciles at most 50 issues per search. */
const MAX_RECONCILE = 50;
/** When the attachment settings cannot be read: attach everything, let Jira refuse what it must. */
const ANY_ATTACHMENT: AttachmentPolicy = { enabled: true, uploadLimit: Number.POSITIVE_INFINITY };

export class JiraSink extends BaseSink {
  private readonly api: JiraApi;
  private readonly logger: Logger;
  private setupPromise: Promise<Setup> | undefined;
  private readonly progress: BoundedCache<string, Progress>;
  /** Ids of issues created lately, newest last: searched as they are now. */
  private readonly recentlyCreated: string[] = [];
  /** Priorities Jira refused: issues are created without them. */
  private readonly refusedPriorities = new Set<string>();

  constructor(
    base: SinkBase,
    private readonly params: JiraSinkParams,
    private readonly options: JiraSinkOptions,
  ) {
    super(base);
    this.api = new JiraApi(params.url, params.username, params.api_key, new HttpClient(options));
    this.logger = options.logger.child({ sink: base.name });
    this.progress = new BoundedCache({ ...PROGRESS_MEMORY, now: options.now ?? Date.now });
  }

  async write(finding: Finding, options: DeliveryOptions = {}): Promise<void> {
    const { signal } = options;
    const setup = await this.setup(signal);
    let progress = this.progress.get(finding.id);
    if (!progress) {
      progress = await this.plan(finding, setup, signal);
      if (progress.steps.length === 0) return;
      this.progress.set(finding.id, progress);
    }
    try {
      for (; progress.next < progress.steps.length; progress.next++) await this.run(progress.steps[progress.next]!, progress, finding, setup, signal);
      this.progress.delete(finding.id);
    } catch (error) {
      // A permanent failure will not be retried: nothing to resume.
      if (error instanceof DeliveryError && !error.retryable) this.progress.delete(finding.id);
      throw error;
    }
  }

  /** The files that will be attached, in order (files Jira would refuse are named in the description instead). */
  private attachableFiles(finding: Finding, policy: AttachmentPolicy): AttachedFile[] {
    return finding.enrichments
      .flatMap((enrichment) => enrichment.blocks)
      .filter((block): block is FileBlock => block.type === "file" && block.contents !== "")
      .filter((block) => notAttachedReason(block, policy) === undefined)
      .map(attachedFile);
  }

  // ---------------------------------------------------------------- planning

  private async plan(finding: Finding, setup: Setup, signal: AbortSignal | undefined): Promise<Progress> {
    const existing = matchesExisting(finding) ? await this.findIssue(finding, setup, signal) : undefined;
    const decision = decide(finding, existing, this.params);
    const { doneStatusName, reopenStatusName } = this.params;
    switch (decision.action) {
      case "create": {
        const files = this.attachableFiles(finding, setup.attachments);
        return { next: 0, steps: [{ kind: "create" }, ...files.map((_, index) => ({ kind: "attach" as const, index }))] };
      }
      case "update":
        return { next: 0, steps: [{ kind: "update", issue: decision.issue.key }] };
      case "reopen":
        return {
          next: 0,
          steps: [
            { kind: "transition", issue: decision.issue.key, status: reopenStatusName, param: "reopenStatusName" },
            { kind: "update", issue: decision.issue.key },
          ],
        };
      case "resolve":
        return {
          next: 0,
          steps: [
            { kind: "transition", issue: decision.issue.key, status: doneStatusName, param: "doneStatusName" },
            { kind: "comment", issue: decision.issue.key },
          ],
        };
      case "nothing":
        this.logger.debug({ finding: finding.id }, `Jira: nothing to do: ${decision.reason}`);
        return { next: 0, steps: [] };
    }
  }

  /** The most recent issue of the project carrying all the finding's dedup labels. */
  private async findIssue(finding: Finding, setup: Setup, signal: AbortSignal | undefined): Promise<FoundIssue | undefined> {
    const labels = issueLabels(finding, this.params.dedups, this.options.clusterName);
    const jql = [`project = ${setup.projectId}`, ...labels.map((label) => `labels = ${jqlString(label)}`)].join(" AND ") + " ORDER BY created DESC";
    const issues = await this.api.search(jql, 2, this.recentlyCreated, signal);
    if (issues.length > 1) this.logger.warn({ jql }, `Jira: more than one issue carries these labels; using the most recent, ${issues[0]!.key}`);
    return issues[0];
  }

  // ---------------------------------------------------------------- steps

  private async run(step: Step, progress: Progress, finding: Finding, setup: Setup, signal: AbortSignal | undefined): Promise<void> {
    switch (step.kind) {
      case "create": {
        progress.created = await this.create(finding, setup, signal);
        this.recentlyCreated.push(progress.created.id);
        if (this.recentlyCreated.length > MAX_RECONCILE) this.recentlyCreated.shift();
        this.logger.info({ finding: finding.id, issue: progress.created.key }, `Jira: opened ${progress.created.key}`);
        return;
      }
      case "attach": {
        const file = this.attachableFiles(finding, setup.attachments)[step.index]!;
        await this.api.attach(progress.created!.key, file, signal);
        return;
      }
      case "update":
        await this.api.editIssue(step.issue, this.editedFields(finding, setup), signal);
        return;
      case "transition":
        await this.transition(step.issue, step.status, step.param, signal);
        this.logger.info({ finding: finding.id, issue: step.issue }, `Jira: moved ${step.issue} to ${step.status}`);
        return;
      case "comment":
        await this.api.comment(step.issue, doc([paragraph(text(RESOLVED_COMMENT))]), signal);
        return;
    }
  }

  /** What an update rewrites (Robusta's update_issue): summary and description, assignee and epic when set. */
  private editedFields(finding: Finding, setup: Setup): Record<string, unknown> {
    const { assignee, epic } = this.params;
    return {
      summary: issueSummary(finding),
      description: issueDescription(finding, { clusterName: this.options.clusterName, attachments: setup.attachments }),
      ...(assignee && { assignee: { id: assignee } }),
      ...(epic && { parent: { key: epic } }),
    };
  }

  /**
   * Creates the issue. A priority this Jira does not have (Robusta's defaults are not Jira Cloud's
   * names) would lose the whole issue; it is created without one instead, with a warning.
   */
  private async create(finding: Finding, setup: Setup, signal: AbortSignal | undefined): Promise<IssueRef> {
    const priority = issuePriority(finding.severity, this.params.priority_mapping);
    const fields = {
      ...this.editedFields(finding, setup),
      labels: issueLabels(finding, this.params.dedups, this.options.clusterName),
      issuetype: { id: setup.issueTypeId },
      project: { id: setup.projectId },
    };
    if (this.refusedPriorities.has(priority)) return this.api.createIssue(fields, signal);
    try {
      return await this.api.createIssue({ ...fields, priority: { name: priority } }, signal);
    } catch (error) {
      if (!(error instanceof JiraError) || error.status !== 400 || Object.keys(error.fieldErrors).join() !== "priority") throw error;
      this.refusedPriorities.add(priority);
      this.logger.warn(
        { priority, jira: error.fieldErrors.priority },
        `Jira refused priority "${priority}": creating issues without it. Map severities to this Jira's priorities with priority_mapping.`,
      );
      return this.api.createIssue(fields, signal);
    }
  }

  /**
   * Moves the issue to `status`. An issue already there counts as moved: a retry after Jira made
   * the move but its answer was lost (or after someone moved it by hand) goes on to the next step.
   */
  private async transition(issue: string, status: string, param: string, signal: AbortSignal | undefined): Promise<void> {
    const transitions = await this.api.transitions(issue, signal);
    const transition = transitions.find((candidate) => candidate.to.toLowerCase() === status.toLowerCase());
    if (!transition) {
      if ((await this.api.status(issue, signal)).toLowerCase() === status.toLowerCase()) return;
      const offered = transitions.map((candidate) => candidate.to).join(", ") || "none";
      throw new DeliveryError(`${this.api.service}: ${issue} cannot be moved to "${status}" (its transitions lead to: ${offered}); check ${param}`, {
        retryable: false,
      });
    }
    await this.api.transition(issue, transition.id, signal);
  }

  // ---------------------------------------------------------------- setup

  private setup(signal: AbortSignal | undefined): Promise<Setup> {
    this.setupPromise ??= this.lookUp(signal).catch((error: unknown) => {
      this.setupPromise = undefined;
      throw error;
    });
    return this.setupPromise;
  }

  private async lookUp(signal: AbortSignal | undefined): Promise<Setup> {
    const projectId = this.params.project_type_id_override ?? (await this.projectId(signal));
    const issueTypeId = this.params.issue_type_id_override ?? (await this.issueTypeId(projectId, signal));
    const attachments = await this.api.attachmentPolicy(signal).catch((error: unknown) => {
      if (!(error instanceof DeliveryError) || error.retryable) throw error;
      this.logger.debug({ error: error.message }, "Jira: attachment settings unreadable; attaching every file");
      return ANY_ATTACHMENT;
    });
    return { projectId, issueTypeId, attachments };
  }

  /** Robusta's lookup: the project whose name or key is `project_name`. */
  private async projectId(signal: AbortSignal | undefined): Promise<string> {
    const name = this.params.project_name;
    const projects = await this.api.searchProjects(name, signal);
    const project = projects.find((candidate) => candidate.name === name || candidate.key === name);
    if (project) return project.id;
    const similar = projects.map((candidate) => `${candidate.name} (${candidate.key})`).join(", ");
    throw new DeliveryError(
      `${this.api.service} has no project named or keyed "${name}" that this user can see${similar ? ` (similar: ${similar})` : ""}; check project_name, or set project_type_id_override`,
      { retryable: false },
    );
  }

  /** The project's issue type named `issue_type` (exactly, else ignoring case). */
  private async issueTypeId(projectId: string, signal: AbortSignal | undefined): Promise<string> {
    const name = this.params.issue_type;
    const types = await this.api.issueTypes(projectId, signal);
    const type = types.find((candidate) => candidate.name === name) ?? types.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (type) return type.id;
    throw new DeliveryError(
      `${this.api.service}: the project has no issue type "${name}" (it has: ${types.map((candidate) => candidate.name).join(", ") || "none"}); check issue_type, or set issue_type_id_override`,
      { retryable: false },
    );
  }
}

/** A JQL string literal. */
const jqlString = (value: string): string => `"${value.replace(/["\\]/g, "\\$&")}"`;
