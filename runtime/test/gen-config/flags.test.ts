import { readFile, writeFile } from "node:fs/promises";
import { ActionRegistry, builtinActions } from "@robusta-ts/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../src/config/load-config.js";
import { MissingAnswersError } from "../../src/gen-config/answers.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { runGenConfig, tempDir } from "./helpers.js";

const PD_KEY = "0123456789abcdef0123456789abcdef";
const base = ["--cluster-name", "prod-eu", "--image", "ghcr.io/acme/robusta-playbooks:1.2.0"];

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.remove());

describe("robusta gen-config from flags", () => {
  it("writes values for slack and pagerduty with the secrets as env references to a Secret", async () => {
    const output = tmp.file("values.yaml");
    const run = await runGenConfig([...base, "--sink", "slack", "--sink", "pagerduty:oncall", "--set", "slack.slack_channel=#alerts", "--set", `oncall.api_key=${PD_KEY}`, "--output", output]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const text = await readFile(output, "utf8");
    expect(parse(text)).toEqual({
      clusterName: "prod-eu",
      sinksConfig: [
        { slack_sink: { name: "main_slack_sink", api_key: "{{ env.MAIN_SLACK_API_KEY }}", slack_channel: "#alerts" } },
        { pagerduty_sink: { name: "oncall", api_key: "{{ env.ONCALL_API_KEY }}" } },
      ],
      runner: {
        image: { repository: "ghcr.io/acme/robusta-playbooks", tag: "1.2.0" },
        additional_env_vars: [
          { name: "MAIN_SLACK_API_KEY", valueFrom: { secretKeyRef: { name: "robusta-secrets", key: "MAIN_SLACK_API_KEY" } } },
          { name: "ONCALL_API_KEY", valueFrom: { secretKeyRef: { name: "robusta-secrets", key: "ONCALL_API_KEY" } } },
        ],
      },
    });
    // The key given on the command line is only printed, in the command that creates the Secret.
    expect(text).not.toContain(PD_KEY);
    expect(text).toMatch(/^# /m);
    expect(run.out).toContain("kubectl create secret generic robusta-secrets");
    expect(run.out).toContain(`--from-literal=ONCALL_API_KEY=${PD_KEY}`);
    expect(run.out).toContain("--from-literal=MAIN_SLACK_API_KEY='<main_slack_sink api_key>'");
    expect(run.out).toContain(`helm install robusta charts/robusta-ts -f ${output}`);

    // The runner accepts the file once the Secret's variables are set.
    const config = parseConfig(text, output, { actions: new ActionRegistry(builtinActions), env: { MAIN_SLACK_API_KEY: "xoxb-1-2", ONCALL_API_KEY: PD_KEY } });
    expect(config.clusterName).toBe("prod-eu");
    expect(config.sinks.map((sink) => [sink.type, sink.params.name, sink.params.api_key])).toEqual([
      ["slack_sink", "main_slack_sink", "xoxb-1-2"],
      ["pagerduty_sink", "oncall", PD_KEY],
    ]);
  });

  it("treats tokens, keys, passwords and token-carrying URLs as secrets, and leaves the rest in the values", async () => {
    const output = tmp.file("values.yaml");
    const run = await runGenConfig([
      ...base,
      ...["--sink", "discord", "--sink", "teams", "--sink", "webhook", "--sink", "telegram", "--sink", "mail"],
      ...["--set", "webhook.url=https://hooks.example.com/in", "--set", "webhook.authorization=Bearer abc", "--set", "webhook.format=json", "--set", "webhook.size_limit=8192"],
      ...["--set", "telegram.chat_id=-100123"],
      ...["--secret-name", "alerting", "--output", output],
    ]);
    expect(run.code).toBe(0);
    const values = parse(await readFile(output, "utf8"));
    expect(values.sinksConfig).toEqual([
      { discord_sink: { name: "main_discord_sink", url: "{{ env.MAIN_DISCORD_URL }}" } },
      { ms_teams_sink: { name: "main_ms_teams_sink", webhook_url: "{{ env.MAIN_MS_TEAMS_WEBHOOK_URL }}" } },
      { webhook_sink: { name: "main_webhook_sink", url: "https://hooks.example.com/in", format: "json", size_limit: 8192, authorization: "{{ env.MAIN_WEBHOOK_AUTHORIZATION }}" } },
      { telegram_sink: { name: "main_telegram_sink", bot_token: "{{ env.MAIN_TELEGRAM_BOT_TOKEN }}", chat_id: "-100123" } },
      { mail_sink: { name: "main_mail_sink", mailto: "{{ env.MAIN_MAIL_MAILTO }}" } },
    ]);
    expect(values.runner.additional_env_vars.map((v: { valueFrom: { secretKeyRef: { name: string } } }) => v.valueFrom.secretKeyRef.name)).toEqual(Array(5).fill("alerting"));
    expect(run.out).toContain("--from-literal=MAIN_WEBHOOK_AUTHORIZATION='Bearer abc'");
  });

  it("loads the whole Secret with envFrom when asked", async () => {
    const run = await runGenConfig([...base, "--sink", "datadog", "--env-from-secret", "--output", "-"]);
    expect(run.code).toBe(0);
    expect(parse(run.out).runner).toEqual({ image: { repository: "ghcr.io/acme/robusta-playbooks", tag: "1.2.0" }, envFromSecret: "robusta-secrets" });
    expect(run.err).toContain("--from-literal=MAIN_DATADOG_API_KEY='<main_datadog_sink api_key>'");
  });

  it("keeps a secret given as an env reference, and writes no env at all without secrets", async () => {
    const run = await runGenConfig([...base, "--sink", "slack", "--set", "slack.api_key={{ env.SLACK_TOKEN }}", "--set", "slack.slack_channel=C0123ABCD", "--output", "-"]);
    expect(parse(run.out).sinksConfig[0].slack_sink.api_key).toBe("{{ env.SLACK_TOKEN }}");
    expect(parse(run.out).runner.additional_env_vars[0].name).toBe("SLACK_TOKEN");
    const none = await runGenConfig([...base, "--sink", "kafka", "--set", "kafka.kafka_url=kafka:9092", "--set", "kafka.topic=findings", "--output", "-"]);
    expect(parse(none.out).runner).toEqual({ image: { repository: "ghcr.io/acme/robusta-playbooks", tag: "1.2.0" } });
    expect(none.err).not.toContain("kubectl");
  });

  it("without a terminal, refuses with every missing answer and the flag that gives it", async () => {
    const error = await runGenConfig(["--sink", "slack", "--sink", "jira", "--output", tmp.file("v.yaml")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingAnswersError);
    expect((error as MissingAnswersError).flags).toEqual([
      "--cluster-name NAME",
      "--image REPO[:TAG]",
      "--set main_slack_sink.slack_channel=VALUE",
      "--set main_jira_sink.url=VALUE",
      "--set main_jira_sink.username=VALUE",
      "--set main_jira_sink.project_name=VALUE",
    ]);
    expect((error as Error).message).toContain("not asked (the input is not a terminal): give --cluster-name NAME, --image REPO[:TAG], --set main_slack_sink.slack_channel=VALUE");
  });

  it("asks nothing with CI set or --yes, even on a terminal", async () => {
    const onTerminal = { answers: ["prod"] };
    await expect(runGenConfig(["--image", "acme/pb"], { ...onTerminal, env: { CI: "true" } })).rejects.toThrow("not asked (CI is set): give --cluster-name NAME");
    await expect(runGenConfig(["--image", "acme/pb", "--yes"], onTerminal)).rejects.toThrow("not asked (--yes): give --cluster-name NAME");
  });

  it("refuses to replace an existing file unless --overwrite", async () => {
    const output = tmp.file("generated_values.yaml");
    await writeFile(output, "mine: true\n");
    const refused = await runGenConfig([...base, "--output", output]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${output} exists; pass --overwrite`);
    expect(await readFile(output, "utf8")).toBe("mine: true\n");
    const replaced = await runGenConfig([...base, "--output", output, "--overwrite"]);
    expect(replaced.code).toBe(0);
    expect(parse(await readFile(output, "utf8")).clusterName).toBe("prod-eu");
  });

  it("says what is wrong with a flag's value", async () => {
    const cases: [string[], RegExp][] = [
      [["--sink", "slack", "--set", "slack.api_key=abc"], /--set main_slack_sink\.api_key: must be a Slack token/],
      [["--sink", "slack", "--set", "slack.channel=x"], /slack_sink has no parameter "channel" \(it has: name, default,/],
      [["--sink", "slack", "--set", "pagerduty.api_key=x"], /no sink "pagerduty" \(the sinks are: main_slack_sink\); add it with --sink/],
      [["--sink", "webhook", "--set", "webhook.size_limit=big"], /--set webhook\.size_limit=big: /],
      [["--sink", "slack", "--set", "slack_channel"], /write SINK\.PARAM=VALUE/],
      [["--sink", "pigeon"], /unknown sink type "pigeon"; the types are: slack, ms_teams/],
      [["--image", "ghcr.io/Acme/pb"], /--image: "ghcr.io\/Acme\/pb" is not an image name/],
      [["--image", "acme/pb@sha256:abc"], /give a tag/],
      [["--secret-name", "My_Secrets"], /--secret-name: must be lower-case/],
    ];
    for (const [args, message] of cases) {
      const error = await runGenConfig([...base, ...args, "--output", "-"]).catch((e: unknown) => e);
      expect(error, args.join(" ")).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("reports a combination the runner refuses, with its place in the values", async () => {
    const error = await runGenConfig([...base, "--sink", "teams", "--set", "teams.webhook_url=https://x.example/hook", "--set", "teams.tenant_id=t", "--output", "-"]).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/sinksConfig\[0\]\.ms_teams_sink\.tenant_id: configure one mode/);
  });
});
