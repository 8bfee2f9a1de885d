/** The `robusta` command. */
import { parseArgs } from "node:util";
import { PlaybookLoadError } from "@robusta-ts/sdk";
import { assertStandardDecorators, LegacyDecoratorsError } from "../toolchain/tsconfig-check.js";
import { demo } from "./demo.js";
import { forwarder } from "./forwarder.js";
import { run } from "./run.js";
import { AssignmentError, trigger } from "./trigger.js";
import { validate } from "./validate.js";
import { UsageError } from "./usage-error.js";
import { build } from "./build.js";
import { dev } from "./dev.js";
import { genConfig } from "./gen-config.js";
import { manifests } from "./manifests.js";
import { simulate } from "./simulate.js";
import { ConfigError } from "../config/load-config.js";

const USAGE = `Usage: robusta <command> [options]

Commands:
  demo [MODULE...]     Run playbooks against a simulated cluster through a short scenario
                       (a crash loop, an OOM kill, an alert firing and resolving) and print
                       the findings. MODULE is a playbook file or directory (its index.ts).
      --serve                keep the runner serving afterwards, until Ctrl-C
      --findings-file FILE   also write findings as JSON lines to FILE
      --port N               listen on port N (default: any free port), on 127.0.0.1
  run [MODULE...]      Run the runner against the cluster of the current kubeconfig (or
                       in-cluster), with the built-in playbooks, those of the configuration
                       file and those of the playbook modules, watching what their triggers need.
      --config FILE          the configuration (Robusta's Helm value names; default:
                             PLAYBOOKS_CONFIG_FILE_PATH); reloaded when it changes
      --findings-file FILE   also write findings as JSON lines to FILE
      --port N               listen on port N (default 5000, or PORT)
  validate FILE [MODULE...]
                       Check a configuration file, with the playbook modules it may use,
                       without a cluster: print every problem with its line, exit 1 if any.
  trigger ACTION [KEY=VALUE...]
                       Run an action on a runner (POST /api/trigger) and print its findings.
                       name=, namespace= (and kind= for any resource) name the object it runs
                       on; the rest are the action's parameters, as YAML values.
                       e.g. robusta trigger logs_enricher name=web-0 namespace=prod tail_lines=50
      --url URL              the runner (default ROBUSTA_RUNNER_URL, else http://127.0.0.1:5000);
                             its token, if any, from ROBUSTA_AUTH_TOKEN
      --sinks S1,S2          send the findings to these sinks (default: the default sinks)
      --no-sinks             send them nowhere, only print them
      --json                 print the runner's answer as JSON
  forwarder            Watch the cluster and post changes to a runner's /api/handle.
      --runner-url URL       the runner (required)
      --kinds K1,K2          kinds to watch (default: those Robusta's forwarder watches)
      --port N               port of /healthz, /readyz and /metrics (default 2112)
  build [DIR]          Type-check the playbook project DIR (default: here) and bundle its
                       playbooks with the runtime into dist/runner.mjs, runnable with
                       node (the same commands as this CLI), and write dist/manifest.json.
      --entry FILE           the playbook module (default: package.json's robusta.playbooks,
                             else playbooks/index.ts); repeat for several
      --outdir DIR           where to write (default: DIR/dist)
      --no-typecheck         bundle without running tsc first
  dev [MODULE...]      Run playbooks locally, as run does but on 127.0.0.1, printing findings
                       instead of sending them, and reload the modules and the configuration
                       file when they change (an edit that does not load keeps the last good ones).
      --config FILE          the configuration (its sinks are printed to, not sent to)
      --simulated            against the demo's in-memory cluster instead of the current kubeconfig
      --port N               listen on port N (default 5000)
  simulate FIXTURE [MODULE...]
                       Replay a saved event through the playbooks against an in-memory cluster
                       and print the findings: an Alertmanager webhook body, a kubewatch
                       CloudEvent, or an object change {operation, obj, oldObj}, in JSON or YAML,
                       with optional cluster:, logs: and events: for the enrichers to read.
                       Exits 1 if the fixture is invalid or a playbook fails.
      --config FILE          also the configuration's built-in and custom playbooks
      --json                 print findings as JSON lines
  manifests [MODULE...] Print the Helm chart's objects as plain YAML for kubectl apply -f -, with
                       the ClusterRole computed from the playbooks (values' and MODULEs').
      --values FILE          a values file, as for helm (repeatable; later ones win)
      --set KEY=VALUE        set one value, e.g. runner.image.tag=1.2.0 (repeatable)
      --namespace NS         the namespace to install into (default robusta)
      --release NAME         names the objects as a Helm release would (default robusta)
  gen-config           Write Helm values for the chart (cluster name, sinks, runner image),
                       asking for what the flags leave out (nothing with --yes, CI set or
                       no terminal: then a missing answer is an error naming its flag). Sink
                       secrets become {{ env.NAME }} from a Secret, never values; the kubectl
                       command that creates the Secret is printed.
      --cluster-name NAME    shown on every finding
      --image REPO[:TAG]     your runner image, the one your CI builds
      --sink TYPE[:NAME]     a sink to set up (repeatable): slack, ms_teams, pagerduty, ...
      --set SINK.PARAM=VALUE
                             a sink's parameter (repeatable); SINK is its name or type
      --secret-name NAME     the Secret with the sinks' secrets (default robusta-secrets)
      --env-from-secret      load that whole Secret (runner.envFromSecret), not one var each
      --namespace NS         the namespace in the printed kubectl and helm commands
      --output FILE          default generated_values.yaml; - for standard output
      --overwrite            replace FILE if it exists
      --yes                  ask nothing
  help                 Show this help.

Settings come from environment variables; see docs/reference/runner-options.md.
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "demo": {
        const { values, positionals } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: { serve: { type: "boolean", default: false }, "findings-file": { type: "string" }, port: { type: "string", default: "0" } },
        });
        if (!/^\d+$/.test(values.port)) throw new UsageError(`--port must be a number, got "${values.port}"`);
        if (positionals.length === 0) throw new UsageError("name at least one playbook module, e.g. robusta demo examples/crash-loops/playbooks");
        assertStandardDecorators();
        return await demo({
          modules: positionals,
          serve: values.serve,
          port: Number(values.port),
          ...(values["findings-file"] !== undefined && { findingsFile: values["findings-file"] }),
        });
      }
      case "run": {
        const { values, positionals } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: { config: { type: "string" }, "findings-file": { type: "string" }, port: { type: "string" } },
        });
        if (values.port !== undefined && !/^\d+$/.test(values.port)) throw new UsageError(`--port must be a number, got "${values.port}"`);
        if (positionals.length > 0) assertStandardDecorators();
        const config = values.config ?? (process.env.PLAYBOOKS_CONFIG_FILE_PATH || undefined);
        return await run({
          modules: positionals,
          ...(config !== undefined && { configFile: config }),
          ...(values["findings-file"] !== undefined && { findingsFile: values["findings-file"] }),
          ...(values.port !== undefined && { port: Number(values.port) }),
        });
      }
      case "validate": {
        const { positionals } = parseArgs({ args: [...rest], allowPositionals: true, options: {} });
        const [file, ...modules] = positionals;
        if (!file) throw new UsageError("name the configuration file to check, e.g. robusta validate values.yaml");
        if (modules.length > 0) assertStandardDecorators();
        return await validate({ file, modules });
      }
      case "trigger": {
        const { values, positionals } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: { url: { type: "string" }, sinks: { type: "string" }, "no-sinks": { type: "boolean", default: false }, json: { type: "boolean", default: false } },
        });
        const [action, ...assignments] = positionals;
        if (!action) throw new UsageError("name the action to run, e.g. robusta trigger logs_enricher name=web-0 namespace=prod");
        const token = process.env.ROBUSTA_AUTH_TOKEN;
        try {
          return await trigger({
            action,
            assignments,
            url: values.url ?? (process.env.ROBUSTA_RUNNER_URL || "http://127.0.0.1:5000"),
            ...(values.sinks !== undefined && { sinks: values.sinks.split(",").map((s) => s.trim()).filter(Boolean) }),
            noSinks: values["no-sinks"],
            json: values.json,
            ...(token && { token }),
          });
        } catch (error) {
          if (error instanceof AssignmentError) throw new UsageError(error.message);
          throw error;
        }
      }
      case "forwarder": {
        const { values } = parseArgs({
          args: [...rest],
          options: { "runner-url": { type: "string" }, kinds: { type: "string" }, port: { type: "string", default: "2112" } },
        });
        if (!values["runner-url"]) throw new UsageError("--runner-url is required");
        if (!/^\d+$/.test(values.port)) throw new UsageError(`--port must be a number, got "${values.port}"`);
        return await forwarder({
          runnerUrl: values["runner-url"],
          port: Number(values.port),
          ...(values.kinds !== undefined && { kinds: values.kinds.split(",").map((k) => k.trim()).filter(Boolean) }),
        });
      }
      // Each of these parses its own arguments (throwing UsageError) and returns the exit code.
      case "build":
        return await build(rest);
      case "dev":
        return await dev(rest);
      case "simulate":
        return await simulate(rest);
      case "manifests":
        return await manifests(rest);
      case "gen-config":
        return await genConfig(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`robusta: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof PlaybookLoadError || error instanceof LegacyDecoratorsError || error instanceof ConfigError) {
      process.stderr.write(`robusta: ${error.message}\n`);
      return 1;
    }
    if (String((error as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS")) {
      // Unknown or malformed flags.
      process.stderr.write(`robusta: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    // Anything else (no kubeconfig, an unreadable module, invalid settings): say what, not where in our code.
    process.stderr.write(`robusta: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.LOG_LEVEL === "debug" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

