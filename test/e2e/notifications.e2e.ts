/**
 * Alert notifications end to end: a real Alertmanager sends to `robusta run --config`, whose
 * slack_sink posts to the local fake Slack. When the alert resolves, Alertmanager says so and the
 * original Slack message is edited to say it too, with the resolve in its thread (Robusta #1350).
 * The same alert pages PagerDuty and resolves it by Alertmanager's fingerprint, and is mailed
 * through an SMTP server.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { FakePagerDuty } from "../fakes/pagerduty.js";
import { FakeSlack } from "../fakes/slack/fake-slack.js";
import { SmtpFake } from "../fakes/smtp.js";
import { describeCluster, e2eEnv, uniqueSuffix, waitFor } from "./support.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

async function postAlert(labels: Record<string, string>, endsAt?: Date): Promise<void> {
  const response = await fetch(`${e2eEnv.alertmanagerUrl}/api/v2/alerts`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify([{ labels, annotations: { summary: "checkout is failing its health checks" }, ...(endsAt && { endsAt: endsAt.toISOString() }) }]),
  });
  expect(response.status).toBe(200);
}

describeCluster("alert notifications through a real Alertmanager", () => {
  it("posts a firing alert to Slack, then edits that message when the alert resolves", async (ctx) => {
    const { alertmanagerUrl, alertWebhookUrl } = e2eEnv;
    if (!alertmanagerUrl || !alertWebhookUrl) return ctx.skip("no Alertmanager (scripts/e2e/with-kube-local.sh starts one)");
    const slack = await FakeSlack.start();
    const pagerduty = await FakePagerDuty.start();
    const smtp = await SmtpFake.start({ users: { robusta: "smtp-pa55" } });
    const dir = await mkdtemp(join(tmpdir(), "robusta-notify-"));
    const configFile = join(dir, "values.yaml");
    await writeFile(
      configFile,
      [
        "clusterName: e2e",
        "sinksConfig:",
        "  - slack_sink:",
        "      name: main",
        "      slack_channel: alerts",
        '      api_key: "{{ env.SLACK_API_KEY }}"',
        '      api_url: "{{ env.SLACK_API_URL }}"',
        "  - pagerduty_sink:",
        "      name: pager",
        '      api_key: "0123456789abcdef0123456789abcdef"',
        `      api_url: "${pagerduty.url}"`,
        "  - mail_sink:",
        "      name: mail",
        `      mailto: "mailto://robusta:{{ env.SMTP_PASSWORD }}@127.0.0.1:${smtp.port}?from=robusta@example.com&to=oncall@example.com"`,
        "",
      ].join("\n"),
    );
    const child = spawn(process.execPath, [join(root, "runtime/bin/robusta.js"), "run", "--config", configFile, "--port", new URL(alertWebhookUrl).port], {
      cwd: root,
      env: { ...process.env, RUNNER_BIND_ADDR: "127.0.0.1", ROBUSTA_NAMESPACES: "e2e-none", SLACK_API_KEY: slack.botToken, SLACK_API_URL: slack.apiUrl, SMTP_PASSWORD: "smtp-pa55", ROBUSTA_PERSIST_STATE: "false" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    try {
      await waitFor(() => stderr.includes('"msg":"runner listening"') || undefined, { what: "the runner to listen", timeoutMs: 60_000 });
      // New labels each run: Alertmanager re-sends an unchanged alert only after repeat_interval.
      const labels = { alertname: `CheckoutDown${uniqueSuffix()}`, severity: "critical", namespace: "shop", service: "checkout" };
      await postAlert(labels);
      const firing = await waitFor(() => slack.messages.find((m) => JSON.stringify(m).includes(labels.alertname)), {
        what: "the firing alert in Slack",
        timeoutMs: 30_000,
      });
      expect(firing.text).toMatch(/Firing/i);
      expect(JSON.stringify(firing.blocks)).toContain("checkout is failing its health checks");

      await postAlert(labels, new Date());
      const edited = await waitFor(() => slack.message(firing.channel, firing.ts)!.history.length > 0 && slack.message(firing.channel, firing.ts)!, {
        what: "the original message edited as resolved",
        timeoutMs: 30_000,
      });
      expect(JSON.stringify(edited.blocks)).toMatch(/[Rr]esolved/);
      const reply = await waitFor(() => slack.replies(firing.channel, firing.ts)[0], { what: "the resolve in the thread" });
      expect(reply.text).toMatch(/Resolved/i);

      // PagerDuty: triggered, then resolved, under Alertmanager's fingerprint; two mails.
      const actions = await waitFor(() => (pagerduty.events.length >= 2 ? pagerduty.events : undefined), { what: "PagerDuty's trigger and resolve" });
      expect(actions.map((event) => event.event_action)).toEqual(["trigger", "resolve"]);
      expect(actions[1]!.dedup_key).toBe(actions[0]!.dedup_key);
      const mails = await waitFor(() => (smtp.mails.length >= 2 ? smtp.mails : undefined), { what: "the two mails" });
      expect(mails[1]!.mail.subject).toBe(`[RESOLVED] ${mails[0]!.mail.subject}`);
    } catch (error) {
      const metrics = await fetch(new URL("/metrics", alertWebhookUrl)).then((r) => r.text(), () => "");
      const counts = metrics.split("\n").filter((line) => /^robusta_(intake|findings|playbook_runs|sink)/.test(line));
      throw new Error(`${(error as Error).message}\nrunner log:\n${stderr.slice(-4000)}\nmetrics:\n${counts.join("\n")}`);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      await slack.close();
      await pagerduty.close();
      await smtp.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(stderr).not.toContain('"msg":"finding not delivered"');
  });
});
