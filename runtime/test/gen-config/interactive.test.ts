import { readFile, writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InputEndedError } from "../../src/gen-config/prompter.js";
import { runGenConfig, tempDir } from "./helpers.js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.remove());

describe("robusta gen-config on a terminal", () => {
  it("asks for what the flags left out, re-asks a bad answer, and prints typed secrets without writing them", async () => {
    const output = tmp.file("generated_values.yaml");
    const run = await runGenConfig(["--output", output], {
      answers: [
        "staging", // cluster name
        "Not An Image", // refused: asked again
        "registry.example.com:5000/team/playbooks:2.0", // image
        "slack, 6", // sinks: by name and by number in the list (pagerduty)
        "", // slack sink name: the default
        "pd", // pagerduty sink name
        "#alerts", // slack_channel
        "", // the Secret's name: the default
        "y", // type the secrets now
        "xoxb-111-222", // slack api_key
        "", // pagerduty api_key: left as a placeholder
      ],
    });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const text = await readFile(output, "utf8");
    expect(parse(text)).toMatchObject({
      clusterName: "staging",
      sinksConfig: [
        { slack_sink: { name: "main_slack_sink", api_key: "{{ env.MAIN_SLACK_API_KEY }}", slack_channel: "#alerts" } },
        { pagerduty_sink: { name: "pd", api_key: "{{ env.PD_API_KEY }}" } },
      ],
      runner: { image: { repository: "registry.example.com:5000/team/playbooks", tag: "2.0" } },
    });
    expect(text).not.toContain("xoxb-111-222");
    // The prompts show each parameter's description as help, and say why an answer was refused.
    expect(run.out).toContain("Cluster name (shown on every finding): ");
    expect(run.out).toContain('"Not An Image" is not an image name');
    expect(run.out).toMatch(/ 6\. pagerduty +Sends findings to PagerDuty/);
    expect(run.out).toContain("The channel findings go to");
    expect(run.out).toContain("Secret that holds the sinks' tokens and keys [robusta-secrets]: ");
    expect(run.out).toContain("--from-literal=MAIN_SLACK_API_KEY=xoxb-111-222");
    expect(run.out).toContain("--from-literal=PD_API_KEY='<pd api_key>'");
  });

  it("asks only what flags did not give, and no secret values when declined", async () => {
    const run = await runGenConfig(["--cluster-name", "dev", "--sink", "discord:chat", "--output", "-"], { answers: ["acme/pb", "robusta-alerting", "n"] });
    expect(run.code).toBe(0);
    expect(parse(run.out)).toMatchObject({ clusterName: "dev", sinksConfig: [{ discord_sink: { name: "chat", url: "{{ env.CHAT_URL }}" } }] });
    expect(run.err).not.toContain("Cluster name");
    expect(run.err).toContain("kubectl create secret generic robusta-alerting \\\n    --from-literal=CHAT_URL='<chat url>'");
  });

  it("asks before replacing an existing file", async () => {
    const output = tmp.file("values.yaml");
    await writeFile(output, "mine: true\n");
    const kept = await runGenConfig(["--output", output], { answers: ["n"] });
    expect(kept.code).toBe(1);
    expect(await readFile(output, "utf8")).toBe("mine: true\n");
    const replaced = await runGenConfig(["--output", output, "--cluster-name", "c", "--image", "acme/pb"], { answers: ["y", ""] });
    expect(replaced.code).toBe(0);
    expect(parse(await readFile(output, "utf8")).sinksConfig).toEqual([]);
    expect(replaced.out).toContain("No sinks were set up");
  });

  it("stops with a clear error when the input ends before the last question", async () => {
    await expect(runGenConfig(["--output", "-"], { answers: ["prod"] })).rejects.toThrow(InputEndedError);
  });
});
