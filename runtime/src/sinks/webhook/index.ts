/** The `webhook_sink` type: its parameters and how it is built. */
import { sinkBaseOf } from "../base-params.js";
import type { Sink, SinkBuildEnv } from "../sink.js";
import { webhookSinkParams, type WebhookSinkParams } from "./params.js";
import { WebhookSink } from "./webhook-sink.js";

export { webhookSinkParams, type WebhookSinkParams, MIN_SIZE_LIMIT } from "./params.js";
export { renderWebhookText, webhookTextLines } from "./render-text.js";
export { renderWebhookJson, renderSlackWebhookJson } from "./render-json.js";
export { WebhookSink, type WebhookSinkOptions, type WebhookTarget } from "./webhook-sink.js";

export const webhookSinkType = {
  description: "POSTs each finding to a URL, as plain text or as JSON (Robusta's shape), within a size limit.",
  params: webhookSinkParams,
  create: (params: WebhookSinkParams, env: SinkBuildEnv): Sink => {
    if (params.slack_webhook && params.format !== "json") {
      env.logger.warn({ sink: params.name }, "webhook_sink: slack_webhook only applies with format: json; sending text");
    }
    return new WebhookSink(sinkBaseOf(params), params, { clusterName: env.clusterName });
  },
};
