/** The chart's generated files (written by `npm run docs`), by path under charts/. */
import { rbacTemplate } from "./chart-rbac.js";
import { chartValuesJsonSchema } from "./values-schema.js";

export function chartFiles(): Record<string, string> {
  return {
    "robusta-ts/values.schema.json": `${JSON.stringify(chartValuesJsonSchema(), null, 2)}\n`,
    "robusta-ts/templates/_rbac.tpl": rbacTemplate(),
  };
}

/** Writes them under `chartsDir`. */
export async function writeChartFiles(chartsDir: string): Promise<void> {
  const { mkdir, writeFile } = await import("node:fs/promises");
  const { dirname, join } = await import("node:path");
  for (const [path, text] of Object.entries(chartFiles())) {
    await mkdir(dirname(join(chartsDir, path)), { recursive: true });
    await writeFile(join(chartsDir, path), text);
    process.stdout.write(`wrote charts/${path}\n`);
  }
}
