import { stringify } from "yaml";
import { z } from "zod";
import { EventClasses } from "../../../events/classes.js";
import { file, markdown } from "../../../findings/blocks.js";
import { defineAction } from "../../define.js";
import { eventObject } from "./event-object.js";

/** get_resource_yaml: the resource as a YAML file. */
export const getResourceYaml = defineAction({
  name: "get_resource_yaml",
  description:
    'Attaches the resource as a YAML file, "<kind>-<name>.yaml" (without metadata.managedFields, the server\'s bookkeeping of who set which field), after the line "Your YAML file for <Kind> <namespace>/<name>".',
  event: EventClasses.Resource,
  params: z.object({}),
  run(event, _params, ctx) {
    const found = eventObject(event.obj, ctx, "get_resource_yaml", "resource");
    if (!found) return;
    const { obj, name } = found;
    const kind = obj.kind ?? "Resource";
    const { managedFields: _managedFields, ...metadata } = obj.metadata ?? {};
    const where = obj.metadata?.namespace ? `${obj.metadata.namespace}/${name}` : name;
    ctx.addEnrichment([
      markdown(`Your YAML file for ${kind} ${where}`),
      file(`${kind.toLowerCase()}-${name}.yaml`, stringify({ ...obj, metadata })),
    ]);
  },
});
