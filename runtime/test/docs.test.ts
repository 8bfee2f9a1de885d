import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { referencePages } from "../src/docs/reference.js";

describe("reference docs", () => {
  it.each(Object.entries(referencePages()))("docs/%s is current (run `npm run docs` after changing a schema)", async (path, text) => {
    expect(await readFile(new URL(`../../docs/${path}`, import.meta.url), "utf8")).toBe(text);
  });

  it("document every parameter of every trigger and built-in action, with its default", () => {
    const { "reference/triggers.md": triggers, "reference/actions.md": actions } = referencePages();
    expect(triggers).toContain("| `restart_count` | integer | `2` | Fire only after this many restarts. |");
    expect(triggers).toContain('| `status` | "firing" \\| "resolved" \\| "all" | `"firing"` |');
    expect(actions).toContain("## logs_enricher");
    expect(actions).toContain("- Needs: `PodEvent`");
  });
});
