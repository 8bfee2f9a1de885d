#!/usr/bin/env node
// The robusta CLI. Playbooks are TypeScript: tsx compiles them (and this CLI) on the fly.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`robusta needs Node.js 22.19 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
