/**
 * Versions the scaffold's package.json asks for. The @robusta-ts packages are released together
 * with this initializer, so they take its version; the toolchain matches what the packages are
 * tested with (a test checks these against the repository's own package.json).
 */
import { readFileSync } from "node:fs";

const own = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** The version of @robusta-ts/sdk and @robusta-ts/runtime a new scaffold depends on. */
export const ROBUSTA_VERSION = `^${own.version}`;

/** devDependencies of every scaffold. `node` runs the npm scripts on Node 24, whatever Node runs npm. */
export const DEV_DEPENDENCIES = {
  "@types/node": "^24.19.2",
  node: "^24.21.0",
  typescript: "^7.0.2",
  vitest: "^5.1.1",
};
