// Writes the generated reference pages into docs/ (npm run docs).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { referencePages } from "./reference.js";

const docs = fileURLToPath(new URL("../../../docs/", import.meta.url));
for (const [path, text] of Object.entries(referencePages())) {
  await mkdir(dirname(join(docs, path)), { recursive: true });
  await writeFile(join(docs, path), text);
  process.stdout.write(`wrote docs/${path}\n`);
}
await (await import("../manifests/chart-files.js")).writeChartFiles(fileURLToPath(new URL("../../../charts/", import.meta.url)));
