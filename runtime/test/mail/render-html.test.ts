import { createFinding, diff, file, json, links, markdown, table, type Enrichment } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { blockHtml, escapeHtml, htmlSections, renderHtml, slackToHtml } from "../../src/sinks/common/render-html.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const options = { clusterName: "prod-eu" };
const enrichment = (...blocks: Enrichment["blocks"]): Enrichment => ({ blocks, annotations: {} });
/** The HTML without its inline styles, to read what it says. */
const bare = (html: string): string => html.replace(/ style="[^"]*"/g, "");

describe("HTML rendering", () => {
  it("renders the whole finding in Robusta's order as a document with inline styles", async () => {
    const html = renderHtml(sampleFinding(), options);
    await expect(html).toMatchFileSnapshot("./__snapshots__/sample.html");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<style|class=/);
    expect(htmlSections(sampleFinding(), options).map((section) => section.kind)).toEqual([
      "status",
      "title",
      "source",
      "description",
      "links",
      "enrichment",
      "enrichment",
      "enrichment",
    ]);
    const text = bare(html);
    expect(text).toContain("👀 <b>K8s event detected</b> · 🔴 <b>High</b>");
    expect(text).toContain("<b>Source:</b> <code>prod-eu</code>");
    expect(text).toContain('<a href="https://runbooks.example.com/crashloop">Runbook</a>');
    expect(text).not.toContain("Restart"); // buttons that run actions are not shown
  });

  it("shows tables as HTML tables: headers as <th>, key/value tables with the keys as row headers", () => {
    const text = bare(renderHtml(sampleFinding(), options));
    expect(text).toContain("<table><tr><th>restarts</th><td>3</td></tr><tr><th>state</th><td>CrashLoopBackOff</td></tr></table>");
    expect(text).toContain("<div>Containers</div><table><tr><th>container</th><th>restarts</th><th>reason</th></tr><tr><td>app</td><td>3</td><td>OOMKilled</td></tr></table>");
  });

  it("shows diffs, JSON as <pre> and files as attached", () => {
    const text = bare(renderHtml(sampleFinding(), options));
    expect(text).toContain("<div>Deployment demo/web</div><ul><li><code>spec.replicas</code>: <span>2</span> → <span>3</span></li>");
    expect(text).toContain("<li><code>spec.paused</code>: <span>(none)</span> → <span>true</span></li>");
    expect(text).toContain("<pre>{\n  &quot;restarts&quot;: 3,\n  &quot;reason&quot;: &quot;OOMKilled&quot;\n}</pre>");
    expect(text).toContain("<p>📎 See attachment <b>web-0.log</b></p>");
    const cut = bare(blockHtml(file("big.log", "x", "the first 2 MB were cut"), options));
    expect(cut).toBe("<p>📎 See attachment <b>big.log</b> <span>(the first 2 MB were cut)</span></p>");
  });

  it("escapes everything that comes from the cluster", () => {
    const finding = createFinding({
      title: "<script>alert(1)</script> & co",
      description: 'a "quoted" <b>tag</b>',
      aggregationKey: "X",
      enrichments: [
        {
          title: "<i>t</i>",
          annotations: {},
          blocks: [table([["<k>", "v & w"]], { headers: ["<h>"], name: "<n>" }), json({ html: "<img src=x onerror=alert(1)>" }), file("<f>.log", "x")],
        },
      ],
    });
    const html = renderHtml(finding, { clusterName: "<cluster>" });
    expect(html).not.toMatch(/<(script|img|i|k|h|n|f|cluster)>|<img /);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
    expect(html).toContain("a &quot;quoted&quot; &lt;b&gt;tag&lt;/b&gt;");
    expect(html).toContain("&lt;cluster&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("links only http(s) and mailto URLs", () => {
    const block = links([
      { text: "ok", url: "https://example.com/?a=1&b=2" },
      { text: "mail", url: "mailto:ops@example.com" },
      { text: "evil", url: "javascript:alert(1)" },
    ]);
    const html = bare(blockHtml(block, options));
    expect(html).toBe('<div><a href="https://example.com/?a=1&amp;b=2">ok</a><a href="mailto:ops@example.com">mail</a>evil</div>');
    expect(slackToHtml("<javascript:alert(1)|x>")).toBe("&lt;javascript:alert(1)|x&gt;");
  });

  it("reads Slack markdown: bold, code, code blocks, links, line breaks", () => {
    const html = bare(slackToHtml("*Pod* `web-0` is <https://x.example.com/a?b=1&c=2|*down*>\nsee <https://y.example.com>\n```\nlog <line>\n```"));
    expect(html).toBe(
      '<b>Pod</b> <code>web-0</code> is <a href="https://x.example.com/a?b=1&amp;c=2"><b>down</b></a><br>see <a href="https://y.example.com">https://y.example.com</a><br><pre>log &lt;line&gt;</pre>',
    );
    expect(bare(slackToHtml("**bold** and 2 * 3 * 4, snake_case_name"))).toBe("<b>bold</b> and 2 * 3 * 4, snake_case_name");
    expect(bare(blockHtml(markdown("<@U123> mentioned"), options))).toBe("<div>&lt;@U123&gt; mentioned</div>");
  });

  it("marks a resolved finding green, with [RESOLVED] in the document title only", () => {
    const finding = createFinding({ title: "Disk full", aggregationKey: "DiskFull", source: "PROMETHEUS", severity: "LOW", status: "resolved" });
    const html = renderHtml(finding, options);
    expect(html).toContain("<title>[RESOLVED] Disk full</title>");
    expect(html).toContain("border-left:4px solid #00B302");
    expect(bare(html)).toContain("✅ <b>Prometheus resolved</b> · 🟡 <b>Low</b>");
    expect(bare(html)).toContain("<div>Disk full</div>");
    const firing = renderHtml({ ...finding, status: "firing" }, options);
    expect(firing).toContain("border-left:4px solid #EF311F");
    expect(bare(firing)).toContain("🔥 <b>Prometheus Alert Firing</b>");
  });

  it("leaves out the status, title, source and links without the header (Robusta's with_header: false)", () => {
    const kinds = htmlSections(sampleFinding(), { ...options, header: false }).map((section) => section.kind);
    expect(kinds).toEqual(["description", "enrichment", "enrichment", "enrichment"]);
  });

  it("counts the rows past maxTableRows, and adds notes last", () => {
    const finding = createFinding({
      title: "Many pods",
      aggregationKey: "X",
      enrichments: [enrichment(table([["a"], ["b"], ["c"]], { headers: ["pod"] }), diff({ kind: "Pod", name: "p" }, []))],
    });
    const html = bare(renderHtml(finding, { ...options, maxTableRows: 1, notes: ["✂️ 2 more sections did not fit."] }));
    expect(html).toContain("<tr><td>a</td></tr></table><div>2 more rows</div>");
    expect(html).toMatch(/<p>✂️ 2 more sections did not fit\.<\/p>\n<\/body>/);
  });

  it("escapes the five HTML characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
