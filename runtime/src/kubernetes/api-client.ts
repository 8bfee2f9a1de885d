/**
 * Plain JSON requests to the API server with the KubeConfig's credentials: client-node's own
 * request plumbing (the same one its Watch uses), without its model classes, so objects stay the
 * JSON the server sent (timestamps as strings), as they arrive on a watch.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { HttpMethod, RequestContext } from "@kubernetes/client-node/dist/gen/http/http.js";
import { fetch } from "undici";

/** A failed request, with what the server said. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly reason?: string,
    /** From a 429's Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface KubeList<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

export class KubeApiClient {
  constructor(readonly kubeConfig: KubeConfig) {}

  private async send(method: keyof typeof HttpMethod, path: string, options: RequestOptions, accept: string) {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig has no current cluster");
    const url = new URL(server.replace(/\/$/, "") + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const ctx = new RequestContext(url.toString(), HttpMethod[method]);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    const headers: Record<string, string> = { ...ctx.getHeaders(), accept };
    if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
    const response = await fetch(url, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      ...(ctx.getDispatcher() && { dispatcher: ctx.getDispatcher() }),
      ...(options.signal && { signal: options.signal }),
    });
    if (!response.ok) {
      const text = await response.text();
      let status: { message?: string; reason?: string } = {};
      try {
        status = JSON.parse(text);
      } catch {
        status = { message: text };
      }
      const retryAfter = Number(response.headers.get("retry-after"));
      throw new KubeApiError(
        response.status,
        `${method} ${path}: ${response.status} ${status.message ?? response.statusText}`,
        status.reason,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      );
    }
    return response;
  }

  /** A JSON request; the parsed answer. */
  async json<T>(method: keyof typeof HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options, "application/json");
    return (await response.json()) as T;
  }

  /** A GET whose answer is text (pod logs). */
  async text(path: string, options: RequestOptions = {}): Promise<string> {
    return (await this.send("GET", path, options, "text/plain, */*")).text();
  }

  /**
   * A whole list, fetched in pages so a large cluster is never one huge response. `each` runs on
   * every item as its page arrives, so what it drops (managedFields) is garbage page by page
   * rather than all held until the last page.
   */
  async list<T>(path: string, query: RequestOptions["query"] = {}, each?: (item: T) => T, pageSize = 500): Promise<KubeList<T>> {
    const items: T[] = [];
    let next: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await this.json<KubeList<T>>("GET", path, { query: { ...query, limit: pageSize, continue: next } });
      for (const item of page.items) items.push(each ? each(item) : item);
      resourceVersion = page.metadata?.resourceVersion;
      next = page.metadata?.continue || undefined;
    } while (next);
    return { metadata: { ...(resourceVersion !== undefined && { resourceVersion }) }, items };
  }
}
