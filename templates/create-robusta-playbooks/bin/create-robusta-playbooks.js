#!/usr/bin/env node
// `npm create robusta-playbooks <dir>` runs this. Plain JavaScript on purpose: it runs on the
// user's own Node (20 or newer), before anything is installed.
import { main } from "../src/main.js";

process.exitCode = await main(process.argv.slice(2));
