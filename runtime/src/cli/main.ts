/** The `robusta` command. */
import { parseArgs } from "node:util";
import { PlaybookLoadError } from "@robusta-ts/sdk";
import { assertStandardDecorators, LegacyDecoratorsError } from "../toolchain/tsconfig-check.js";
import { demo } from "./demo.js";

const USAGE = `Usage: robusta <command> [options]

Commands:
  demo [MODULE...]     Run playbooks against a simulated cluster through a short scenario
                       (a crash loop, an OOM kill, an alert firing and resolving) and print
                       the findings. MODULE is a playbook file or directory (its index.ts).
      --serve                keep the runner serving afterwards, until Ctrl-C
      --findings-file FILE   also write findings as JSON lines to FILE
      --port N               listen on port N (default: any free port), on 127.0.0.1
  help                 Show this help.
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
    if (error instanceof PlaybookLoadError || error instanceof LegacyDecoratorsError) {
      process.stderr.write(`robusta: ${error.message}\n`);
      return 1;
    }
    if (String((error as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS")) {
      // Unknown or malformed flags.
      process.stderr.write(`robusta: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

class UsageError extends Error {}
