/**
 * Access tokens for Microsoft Graph from the Microsoft identity platform's token endpoint
 * (POST <authority_host>/<tenant>/oauth2/v2.0/token): the client credentials grant (the app as
 * itself), or, with a service account, the resource owner password grant (a signed-in user, which
 * Graph requires for posting channel messages). Tokens are kept until shortly before they expire
 * and fetched again when Graph refuses one.
 */
import type { AuthenticationProvider } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import type { DeliveryClock } from "../../delivery/clock.js";
import { DeliveryError, isRetryableStatus, parseRetryAfter } from "../../delivery/delivery-error.js";

export interface GraphTokenOptions {
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** With `password`: sign in as this user (delegated permissions) instead of as the app. */
  readonly username?: string;
  readonly password?: string;
  readonly scope: string;
  readonly clock: DeliveryClock;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** A token is fetched again this long before it expires, so no request carries one about to lapse. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/**
 * After a refused password sign-in, wait this long before the next: repeated bad passwords lock
 * the account (Entra smart lockout), and every finding would try again.
 */
const SIGN_IN_BACKOFF_MS = 5 * 60_000;

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive().default(3600) });
const tokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/** Graph's AuthenticationProvider over the token endpoint, with a cache. */
export class GraphTokenProvider implements AuthenticationProvider {
  private token: { readonly value: string; readonly expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private refusedUntil = 0;
  private refusal: DeliveryError | undefined;
  private readonly fetch: typeof fetch;
  /** Token requests made: for tests and logs. */
  requests = 0;

  constructor(private readonly options: GraphTokenOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  /** Whether tokens are for a signed-in user (delegated) rather than the app itself. */
  get delegated(): boolean {
    return this.options.username !== undefined;
  }

  /** A valid access token: the cached one, or a new one (one request however many callers wait). */
  async getAccessToken(): Promise<string> {
    const now = this.options.clock.now();
    if (this.token && now < this.token.expiresAt - EXPIRY_MARGIN_MS) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets the cached token: Graph refused it (revoked, or the app's permissions changed). */
  invalidate(): void {
    this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { clock, authorityHost, tenantId, clientId, clientSecret, username, password, scope } = this.options;
    if (this.refusal && clock.now() < this.refusedUntil) throw this.refusal;
    const form = new URLSearchParams({ client_id: clientId, scope });
    if (clientSecret !== undefined) form.set("client_secret", clientSecret);
    if (username !== undefined && password !== undefined) {
      form.set("grant_type", "password");
      form.set("username", username);
      form.set("password", password);
    } else {
      form.set("grant_type", "client_credentials");
    }
    this.requests++;
    let response: Response;
    try {
      response = await this.fetch(`${authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new DeliveryError(`Microsoft sign-in could not be reached: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw this.refused(response, body);
    const answer = tokenAnswer.safeParse(body);
    if (!answer.success) throw new DeliveryError("Microsoft sign-in answered without an access token", { retryable: true, status: response.status });
    this.refusal = undefined;
    this.token = { value: answer.data.access_token, expiresAt: clock.now() + answer.data.expires_in * 1000 };
    return this.token.value;
  }

  private refused(response: Response, body: unknown): DeliveryError {
    const error = tokenError.safeParse(body);
    // AADSTS codes in error_description say what is wrong: a bad secret, an unknown app or tenant, no consent.
    const detail = error.success ? `${error.data.error}${error.data.error_description ? `: ${error.data.error_description.split(/\r?\n/)[0]}` : ""}` : `status ${response.status}`;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.options.clock.now());
    const failure = new DeliveryError(`Microsoft sign-in refused ${this.delegated ? `user ${this.options.username}` : `app ${this.options.clientId}`}: ${detail}`, {
      retryable: isRetryableStatus(response.status),
      status: response.status,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
    if (!failure.retryable && this.delegated) {
      this.refusal = failure;
      this.refusedUntil = this.options.clock.now() + SIGN_IN_BACKOFF_MS;
    }
    return failure;
  }
}
