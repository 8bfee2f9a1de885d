import { createFinding } from "@robusta-ts/sdk";
import { describe, expect, it } from "vitest";
import { DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS, mailSubject, renderMail } from "../../src/sinks/mail/render-mail.js";
import { sampleFinding } from "../webhook/sample-finding.js";

const options = { clusterName: "prod-eu", withHeader: true };

describe("mail rendering", () => {
  it("has the title as subject, an HTML body and a text alternative with the same sections", async () => {
    const mail = renderMail(sampleFinding(), options);
    expect(mail.subject).toBe("Crashing pod web-0 in namespace demo");
    expect(mail.html).toContain("<title>Crashing pod web-0 in namespace demo</title>");
    await expect(mail.text).toMatchFileSnapshot("./__snapshots__/sample.txt");
    expect(mail.text.split("\n\n").slice(0, 5)).toEqual([
      "👀 K8s event detected 🔴 High",
      "Crashing pod web-0 in namespace demo",
      "Source: prod-eu",
      "The container app restarted 3 times in 5 minutes.",
      "Runbook <https://runbooks.example.com/crashloop>",
    ]);
    expect(mail.text).toContain("See the full log <https://logs.example.com/web-0> for more.");
    expect(mail.text).toContain("📎 web-0.log");
  });

  it("marks a resolved finding's subject as Robusta does, once", () => {
    const resolved = createFinding({ title: "Disk full", aggregationKey: "DiskFull", status: "resolved" });
    expect(renderMail(resolved, options).subject).toBe("[RESOLVED] Disk full");
    expect(mailSubject({ ...resolved, title: "[RESOLVED] Disk full" })).toBe("[RESOLVED] Disk full");
  });

  it("puts the subject on one line, Slack links as their text", () => {
    expect(mailSubject({ status: "firing", title: "Pod <https://k8s.example.com/web|web-0>\n  is down\r\nagain" })).toBe("Pod web-0 is down again");
  });

  it("leaves the header out of both bodies with with_header: false", () => {
    const mail = renderMail(sampleFinding(), { ...options, withHeader: false });
    expect(mail.text.startsWith("The container app restarted 3 times in 5 minutes.\n\nCrash info")).toBe(true);
    expect(mail.html).not.toContain("K8s event detected");
    expect(mail.html).not.toContain("Source:");
    expect(mail.html).not.toContain("runbooks.example.com");
  });

  it("caps the title and description with …, and adds the notes to both bodies", () => {
    const finding = createFinding({ title: "t".repeat(TITLE_MAX_CHARS + 5), description: "d".repeat(DESCRIPTION_MAX_CHARS + 5), aggregationKey: "X" });
    const mail = renderMail(finding, { ...options, notes: ["📎 Not attached: big.log (12.0 MB)."] });
    expect(mail.subject).toBe(`${"t".repeat(TITLE_MAX_CHARS - 1)}…`);
    expect(mail.text).toContain(`\n${"d".repeat(DESCRIPTION_MAX_CHARS - 1)}…\n`);
    expect(mail.text.endsWith("\n\n📎 Not attached: big.log (12.0 MB).\n")).toBe(true);
    expect(mail.html).toContain("📎 Not attached: big.log (12.0 MB).</p>");
  });
});
