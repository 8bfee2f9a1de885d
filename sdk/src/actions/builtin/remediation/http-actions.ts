import { z } from "zod";
import type { Context } from "../../../context.js";
import { EventClasses } from "../../../events/classes.js";
import { file, markdown, type Block } from "../../../findings/blocks.js";
import { HttpError, httpRequest } from "../../../integrations/http.js";
import { errorMessage } from "../../../util/timeout.js";
import { defineAction } from "../../define.js";

/** A response body longer than this is attached as a file rather than shown inline. */
const INLINE_BODY_CHARS = 2_000;

const url = () => z.url({ protocol: /^https?$/ }).describe("The URL to call, http or https.");
const headers = () => z.record(z.string(), z.string()).default({}).describe("Request headers, e.g. {Authorization: Bearer ...}.");
const getResponse = () =>
  z.boolean().default(false).describe('Report the answer as a new finding, "Response received from <url>": its status and body.');
const data = () =>
  z
    .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .optional()
    .describe("The request body: a string is sent as it is, an object or list as JSON.");

interface HttpCall {
  readonly action: string;
  /** Robusta's aggregation key of the finding: HttpGet, HttpPost, HttpPut. */
  readonly aggregationKey: string;
  readonly method: "GET" | "POST" | "PUT";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data?: unknown;
  readonly getResponse: boolean;
}

/** The body as a person reads it: JSON indented, short text inline, long text as a file. */
function bodyBlock(body: string, contentType: string | null): Block {
  let text = body;
  if (contentType?.includes("json")) {
    try {
      text = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // Not JSON after all: show it as it came.
    }
  }
  if (text.trim() === "") return markdown("The response body is empty.");
  return text.length > INLINE_BODY_CHARS ? file("Response.txt", text) : markdown(`\`\`\`\n${text}\n\`\`\``);
}

/** Makes the request; the answer is reported when asked, and a failure is reported, then thrown. */
async function callHttp(ctx: Context, call: HttpCall): Promise<void> {
  const finding = (title: string) =>
    ctx.addFinding({ title, aggregationKey: call.aggregationKey, source: "MANUAL", findingType: "REPORT", failure: false });
  let response: Response;
  try {
    response = await httpRequest(ctx, `${call.method} ${call.url}`, call.url, {
      method: call.method,
      // Header names are case-insensitive; one spelling keeps a given content-type from being doubled.
      headers: Object.fromEntries(Object.entries(call.headers).map(([name, value]) => [name.toLowerCase(), value])),
      ...(typeof call.data === "string" ? { body: call.data } : call.data !== undefined && { json: call.data }),
    });
  } catch (error) {
    if (call.getResponse) {
      finding(`${call.url} is un-reachable`);
      const detail = error instanceof HttpError ? `*Status Code*\n\`\`\`\n${error.status}\n\`\`\`` : `*Error*\n\`\`\`\n${errorMessage(error)}\n\`\`\``;
      ctx.addEnrichment([markdown(detail)], { title: "Response" });
    }
    throw new Error(`${call.action}: ${errorMessage(error)}`, { cause: error });
  }
  const body = await response.text();
  const { origin, pathname } = new URL(call.url);
  // Not the query string, which may carry a token.
  ctx.logger.info({ url: `${origin}${pathname}`, method: call.method, status: response.status }, `${call.action}: answered`);
  if (!call.getResponse) return;
  finding(`Response received from ${call.url}`);
  ctx.addEnrichment([markdown(`*Status:* ${response.status} ${response.statusText}`.trimEnd()), bodyBlock(body, response.headers.get("content-type"))], {
    title: "Response",
  });
}

/** http_get: a GET request from the runner. */
export const httpGet = defineAction({
  name: "http_get",
  description:
    "Sends an HTTP GET from the runner, inside the cluster, e.g. to trigger a health check or a webhook. With get_response, reports the answer as a new finding (aggregation key HttpGet) with its status and body; a long body is attached as a file. An answer other than 2xx, or no answer, fails the action.",
  event: EventClasses.Base,
  params: z.object({
    url: url(),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe("Query string parameters, added to the URL."),
    headers: headers(),
    get_response: getResponse(),
  }),
  async run(_event, p, ctx) {
    const target = new URL(p.url);
    for (const [key, value] of Object.entries(p.params)) target.searchParams.append(key, String(value));
    await callHttp(ctx, { action: "http_get", aggregationKey: "HttpGet", method: "GET", url: target.toString(), headers: p.headers, getResponse: p.get_response });
  },
});

/** http_post: a POST request from the runner. */
export const httpPost = defineAction({
  name: "http_post",
  description:
    "Sends an HTTP POST from the runner, inside the cluster, with an optional body (a string as it is, an object as JSON). With get_response, reports the answer as a new finding (aggregation key HttpPost) with its status and body. An answer other than 2xx, or no answer, fails the action.",
  event: EventClasses.Base,
  params: z.object({ url: url(), data: data(), headers: headers(), get_response: getResponse() }),
  run: (_event, p, ctx) =>
    callHttp(ctx, { action: "http_post", aggregationKey: "HttpPost", method: "POST", url: p.url, headers: p.headers, data: p.data, getResponse: p.get_response }),
});

/** http_put: a PUT request from the runner. */
export const httpPut = defineAction({
  name: "http_put",
  description:
    "Sends an HTTP PUT from the runner, inside the cluster, with an optional body (a string as it is, an object as JSON). With get_response, reports the answer as a new finding (aggregation key HttpPut) with its status and body. An answer other than 2xx, or no answer, fails the action.",
  event: EventClasses.Base,
  params: z.object({ url: url(), data: data(), headers: headers(), get_response: getResponse() }),
  run: (_event, p, ctx) =>
    callHttp(ctx, { action: "http_put", aggregationKey: "HttpPut", method: "PUT", url: p.url, headers: p.headers, data: p.data, getResponse: p.get_response }),
});
