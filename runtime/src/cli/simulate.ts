/**
 * `robusta simulate FIXTURE [MODULE...] [--config FILE] [--json]`: replays a saved event (an
 * Alertmanager webhook body, a kubewatch CloudEvent, or an object change) through the playbooks
 * against an in-memory cluster and prints the findings. No cluster, runner or sink is involved.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { ActionRegistry, builtinActions, type Logger } from "@robusta-ts/sdk";
import { parseConfig } from "../config/load-config.js";
import { loadPlaybookModules } from "../loader.js";
import { findingToJson } from "../sinks/finding-json.js";
import { renderFindingText } from "../sinks/render-text.js";
import { FixtureError, parseFixture } from "../simulate/fixture.js";
import { replay, type ReplayOptions } from "../simulate/replay.js";
import { assertStandardDecorators } from "../toolchain/tsconfig-check.js";
import { UsageError } from "./usage-error.js";

/** Where a command writes; the process's streams unless a test passes its own. */
export interface CommandIO {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

const PROCESS_IO: CommandIO = { out: process.stdout, err: process.stderr };

/** Without a configuration, every finding goes to this one default sink. */
const SIMULATED_SINK = { name: "simulate", isDefault: true } as const;

export async function simulate(args: readonly string[], io: CommandIO = PROCESS_IO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { config: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const [fixtureFile, ...modules] = positionals;
  if (!fixtureFile) throw new UsageError("name the fixture to replay, e.g. robusta simulate fixtures/crash-loop.yaml playbooks");
  if (modules.length === 0 && values.config === undefined) {
    throw new UsageError("name at least one playbook module, or --config FILE for the configuration's playbooks");
  }
  if (modules.length > 0) assertStandardDecorators();

  const text = await readFile(fixtureFile, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the fixture ${fixtureFile}: ${error.code ?? error.message}`);
  });
  let fixture;
  try {
    fixture = parseFixture(text, fixtureFile);
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error;
    io.err.write(`robusta: ${error.message}\n`);
    return 1;
  }

  const logger: Logger = pino({ level: process.env.LOG_LEVEL || "warn", base: {} }, io.err);
  const loaded = modules.length > 0 ? await loadPlaybookModules(modules) : { playbooks: [], actions: [] };
  const setup: ReplayOptions = await (async () => {
    if (values.config === undefined) {
      return { playbooks: loaded.playbooks, actions: loaded.actions, logger, sinks: [SIMULATED_SINK], clusterName: "simulated" };
    }
    const file = values.config;
    const configText = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read the configuration file ${file}: ${error.code ?? error.message}`);
    });
    // Checked as `robusta run` checks it: built-ins, code and custom playbooks, in the runner's order.
    const config = parseConfig(configText, file, {
      actions: new ActionRegistry([...builtinActions, ...loaded.actions]),
      codePlaybooks: loaded.playbooks,
    });
    return {
      playbooks: config.playbooks,
      actions: loaded.actions,
      logger,
      globalConfig: config.globalConfig,
      alertRelabel: config.alertRelabel,
      sinks: config.sinks.map((sink) => ({ name: sink.params.name, isDefault: sink.params.default })),
      clusterName: config.clusterName ?? "simulated",
    };
  })();

  const result = await replay(fixture, setup);
  const color = io.out === process.stdout && process.stdout.isTTY === true;
  const severalSinks = setup.sinks.length > 1;
  for (const { finding, sinks } of result.findings) {
    if (values.json) {
      io.out.write(`${JSON.stringify(findingToJson(finding, setup.clusterName))}\n`);
    } else {
      if (severalSinks) io.out.write(`→ ${sinks.join(", ")}\n`);
      io.out.write(`${renderFindingText(finding, { color })}\n\n`);
    }
  }

  const failed = result.runs.filter((run) => run.outcome !== "ok");
  for (const run of failed) {
    io.err.write(`robusta: playbook ${run.playbook} (${run.trigger}) ${run.outcome === "timed_out" ? "timed out" : "failed"}: ${run.error ?? "unknown error"}\n`);
  }
  const ran = [...new Set(result.runs.map((run) => run.playbook))];
  io.err.write(
    `${fixture.events.length} ${fixture.kind} event${fixture.events.length === 1 ? "" : "s"} replayed: ` +
      `${ran.length === 0 ? "no playbook matched" : `ran ${ran.join(", ")}`}; ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"}` +
      `${failed.length > 0 ? `; ${failed.length} playbook run${failed.length === 1 ? "" : "s"} failed` : ""}.\n`,
  );
  return failed.length > 0 ? 1 : 0;
}
