import { describe, expect, it } from "vitest";
import { optionsFromEnv, parseRuntimeOptions } from "../src/options.js";

describe("runner options", () => {
  it("reads Robusta's environment variable names", () => {
    const options = parseRuntimeOptions(optionsFromEnv({ PORT: "8080", INCOMING_EVENTS_QUEUE_MAX_SIZE: "50", NUM_EVENT_THREADS: "2", LOG_LEVEL: "debug" }));
    expect(options).toMatchObject({ port: 8080, queueCapacity: 50, workers: 2, logLevel: "debug", host: "0.0.0.0" });
  });

  it("names each bad option and the variable it came from", () => {
    expect(() => parseRuntimeOptions(optionsFromEnv({ PORT: "eighty", ROBUSTA_AUTH_TOKEN: "short", LOG_LEVEL: "loud" }))).toThrow(
      /Invalid runner options:\n {2}- port \(env PORT\): .*\n {2}- authToken \(env ROBUSTA_AUTH_TOKEN\): must be at least 16 characters\n {2}- logLevel \(env LOG_LEVEL\): /,
    );
  });

  it("refuses unknown options", () => {
    expect(() => parseRuntimeOptions({ prot: 1 })).toThrow(/prot/);
  });
});
