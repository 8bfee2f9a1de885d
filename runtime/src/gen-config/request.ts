/**
 * What `robusta gen-config` was asked on its command line, checked: every flag's value is parsed
 * here, so that a mistake is reported before any question is asked.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { UsageError } from "../cli/usage-error.js";
import type { SinkTypeName } from "../sinks/sinks-config.js";
import { SINK_TYPE_NAMES, shortName, sinkTypeOf } from "./sink-catalog.js";

/** Robusta's gen-config writes here too. */
export const DEFAULT_OUTPUT = "generated_values.yaml";
export const DEFAULT_SECRET_NAME = "robusta-secrets";

/** A sink from `--sink TYPE[:NAME]`. */
export interface SinkRequest {
  readonly type: SinkTypeName;
  readonly name?: string;
}

/** A parameter from `--set SINK.PARAM=VALUE`; SINK is a sink's name or type. */
export interface Assignment {
  readonly sink: string;
  readonly key: string;
  readonly value: string;
  /** As typed, for messages. */
  readonly text: string;
}

/** A runner image, `REPO[:TAG]`. */
export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
}

export interface GenConfigRequest {
  readonly clusterName?: string;
  readonly sinks: readonly SinkRequest[];
  readonly assignments: readonly Assignment[];
  readonly secretName?: string;
  readonly image?: ImageRef;
  readonly output: string;
  readonly overwrite: boolean;
  /** Load the whole Secret with envFrom (runner.envFromSecret) instead of one env var per secret. */
  readonly envFromSecret: boolean;
  /** For the printed kubectl command. */
  readonly namespace?: string;
  /** Never ask; missing answers are errors. */
  readonly yes: boolean;
}

// Docker's reference grammar, simplified: lower-case path components, an optional registry host[:port].
const IMAGE = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** A Kubernetes object name (RFC 1123 subdomain), as Secrets and namespaces take. */
export const kubernetesName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");

/** A cluster name: shown on every finding. */
export const clusterName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .regex(/^[^\s]+$/, "must not contain spaces");

/** `REPO[:TAG]` as given to --image or typed at the prompt. */
export const imageRef = z.string().transform((text, ctx): ImageRef => {
  const value = text.trim();
  if (value.includes("@")) {
    ctx.addIssue({ code: "custom", message: "give a tag (REPO:TAG), not a digest: the chart takes runner.image.tag" });
    return z.NEVER;
  }
  const colon = value.lastIndexOf(":");
  const [repository, tag] = colon > value.lastIndexOf("/") ? [value.slice(0, colon), value.slice(colon + 1)] : [value, undefined];
  if (!IMAGE.test(repository)) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not an image name like ghcr.io/acme/robusta-playbooks[:1.0.0]` });
    return z.NEVER;
  }
  if (tag !== undefined && !TAG.test(tag)) {
    ctx.addIssue({ code: "custom", message: `"${tag}" is not an image tag (letters, digits, '_', '.' and '-', at most 128)` });
    return z.NEVER;
  }
  return { repository, ...(tag !== undefined && { tag }) };
});

/** The first problem zod found, as a sentence. */
export const firstIssue = (error: z.ZodError): string => error.issues[0]?.message ?? "invalid";

function checked<T>(schema: z.ZodType<T>, value: string, flag: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${flag}: ${firstIssue(result.error)}`);
  return result.data;
}

function sinkRequest(text: string): SinkRequest {
  const [typeText, ...rest] = text.split(":");
  const type = sinkTypeOf(typeText ?? "");
  if (!type) throw new UsageError(`--sink ${text}: unknown sink type "${typeText}"; the types are: ${SINK_TYPE_NAMES.map(shortName).join(", ")}`);
  const name = rest.join(":").trim();
  if (rest.length > 0 && !name) throw new UsageError(`--sink ${text}: the name after ':' is empty`);
  return { type, ...(name && { name }) };
}

function assignment(text: string): Assignment {
  const equals = text.indexOf("=");
  const target = equals < 0 ? "" : text.slice(0, equals);
  // Sink names may hold dots; parameter keys do not.
  const dot = target.lastIndexOf(".");
  if (equals < 0 || dot <= 0 || dot === target.length - 1) {
    throw new UsageError(`--set ${text}: write SINK.PARAM=VALUE, e.g. --set slack.slack_channel=alerts (SINK is a sink's name or type)`);
  }
  return { sink: target.slice(0, dot), key: target.slice(dot + 1), value: text.slice(equals + 1), text };
}

/** Parses gen-config's arguments; throws UsageError for a malformed one. */
export function parseRequest(args: readonly string[]): GenConfigRequest {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      "cluster-name": { type: "string" },
      sink: { type: "string", multiple: true, default: [] },
      set: { type: "string", multiple: true, default: [] },
      "secret-name": { type: "string" },
      "env-from-secret": { type: "boolean", default: false },
      namespace: { type: "string" },
      image: { type: "string" },
      output: { type: "string", short: "o", default: DEFAULT_OUTPUT },
      overwrite: { type: "boolean", default: false },
      yes: { type: "boolean", short: "y", default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError(`gen-config takes no arguments, only flags; got "${positionals.join(" ")}"`);
  if (!values.output) throw new UsageError("--output: name a file, or - for standard output");
  const cluster = values["cluster-name"];
  return {
    ...(cluster !== undefined && { clusterName: checked(clusterName, cluster, "--cluster-name") }),
    sinks: values.sink.map(sinkRequest),
    assignments: values.set.map(assignment),
    ...(values["secret-name"] !== undefined && { secretName: checked(kubernetesName, values["secret-name"], "--secret-name") }),
    ...(values.namespace !== undefined && { namespace: checked(kubernetesName, values.namespace, "--namespace") }),
    ...(values.image !== undefined && { image: checked(imageRef, values.image, "--image") }),
    output: values.output,
    overwrite: values.overwrite,
    envFromSecret: values["env-from-secret"],
    yes: values.yes,
  };
}
