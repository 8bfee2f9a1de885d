import { binaryFile, createFinding, file, markdown } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { contentTypeOf, findingFiles, tailLines } from "../../src/sinks/common/files.js";

describe("finding files", () => {
  it("gives each non-empty file's bytes and type, in order", () => {
    const finding = createFinding({
      title: "t",
      aggregationKey: "k",
      enrichments: [
        { annotations: {}, blocks: [file("app.log", "héllo\n", "first 10 lines cut"), markdown("x"), file("empty.txt", "")] },
        { annotations: {}, blocks: [binaryFile("graph.png", new Uint8Array([137, 80, 78, 71]))] },
      ],
    });
    const files = findingFiles(finding);
    expect(files.map((f) => [f.filename, f.contentType, f.bytes.length])).toEqual([
      ["app.log", "text/plain; charset=utf-8", 7],
      ["graph.png", "image/png", 4],
    ]);
    expect(files[0]!.bytes.toString("utf8")).toBe("héllo\n");
    expect(files[0]!.truncated).toBe("first 10 lines cut");
  });

  it("guesses types from names", () => {
    expect(contentTypeOf("diff.yaml")).toBe("application/yaml");
    expect(contentTypeOf("notes", "utf8")).toBe("text/plain; charset=utf-8");
    expect(contentTypeOf("blob.bin")).toBe("application/octet-stream");
  });
});

describe("tailLines", () => {
  it("keeps whole last lines within the byte budget", () => {
    expect(tailLines("one\ntwo\nthree\n", 100)).toEqual({ text: "one\ntwo\nthree\n", cut: false });
    expect(tailLines("one\ntwo\nthree\n", 10)).toEqual({ text: "two\nthree", cut: true });
    expect(tailLines("ééééé", 4)).toEqual({ text: "", cut: true });
  });
});
