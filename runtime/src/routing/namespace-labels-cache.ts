/**
 * Namespace labels for scope's `namespace_labels`, cached as Robusta does (30 minutes,
 * NAMESPACE_DATA_TTL): a label changed on a namespace takes up to that long to affect routing.
 * Concurrent lookups of one namespace share a request; a failed lookup is not cached.
 */
import type { NamespaceLabels } from "./scope.js";

/** How long a namespace's labels are reused. */
export const NAMESPACE_LABELS_TTL_MS = 30 * 60 * 1000;
const MAX_NAMESPACES = 10_000;

type Labels = Readonly<Record<string, string>>;

export class NamespaceLabelsCache {
  /** Namespace to its labels and when they were fetched, oldest first. */
  private readonly entries = new Map<string, { readonly labels: Labels; readonly at: number }>();
  private readonly pending = new Map<string, Promise<Labels>>();

  constructor(
    private readonly lookup: NamespaceLabels,
    private readonly now: () => number,
    private readonly ttlMs: number = NAMESPACE_LABELS_TTL_MS,
  ) {}

  /** The namespace's labels ({} when it does not exist). Rejects when the lookup fails. */
  get(namespace: string): Promise<Labels> {
    const cached = this.entries.get(namespace);
    if (cached && this.now() - cached.at < this.ttlMs) return Promise.resolve(cached.labels);
    let request = this.pending.get(namespace);
    if (!request) {
      request = this.fetch(namespace).finally(() => this.pending.delete(namespace));
      this.pending.set(namespace, request);
    }
    return request;
  }

  private async fetch(namespace: string): Promise<Labels> {
    const labels = (await this.lookup(namespace)) ?? {};
    this.entries.delete(namespace);
    this.entries.set(namespace, { labels, at: this.now() });
    if (this.entries.size > MAX_NAMESPACES) this.entries.delete(this.entries.keys().next().value!);
    return labels;
  }
}
