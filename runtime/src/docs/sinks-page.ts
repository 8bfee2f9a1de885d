/**
 * docs/reference/sinks.md: every sink type's parameters, and the routing parameters all sinks
 * share, from their schemas.
 */
import { z } from "zod";
import { ROUTING_TYPES } from "../routing/params.js";
import { sinkBaseParams } from "../sinks/base-params.js";
import { SINK_TYPES } from "../sinks/sinks-config.js";
import { HEADER, paramsTable } from "./markdown.js";

const code = (text: string) => `\`${text}\``;
/** A sink type's own parameters: the shared ones are listed once, at the top. */
const ownParams = (params: z.ZodType) => {
  const { shape } = params as unknown as z.ZodObject;
  return z.object(Object.fromEntries(Object.entries(shape).filter(([key]) => !Object.hasOwn(sinkBaseParams, key))));
};

export function sinksReference(): string {
  const types = Object.entries(SINK_TYPES).map(([type, sink]) =>
    [`## ${type}`, "", sink.description, "", "canThread" in sink ? "Can thread: summary grouping works here.\n" : "", paramsTable(ownParams(sink.params), code)].join("\n"),
  );
  const named = Object.entries(ROUTING_TYPES).map(([title, schema]) => {
    const described = (schema as z.ZodType).description;
    const table = paramsTable(schema as z.ZodType, code);
    // Types that are not objects (a scope rule is a map) are explained by their description alone.
    return [`### ${title}`, "", ...(described ? [described, ""] : []), ...(table.startsWith("No parameters") ? [] : [table])].join("\n");
  });
  return `${HEADER}# Sinks reference

Every entry of \`sinksConfig\` names one sink type and its parameters. How to set each one up is in
[sinks.md](../sinks.md); how findings are routed is in [routing.md](../routing.md).

\`\`\`yaml
sinksConfig:
  - slack_sink:
      name: main
      slack_channel: alerts
      api_key: "{{ env.SLACK_API_KEY }}"
\`\`\`

## Parameters every sink takes

${paramsTable(z.object(sinkBaseParams), code)}
${named.join("\n")}
${types.join("\n")}`;
}
