import { RateLimiter, type TriggerEnv } from "../../src/index.js";
import { FakeClock } from "../../src/testing/index.js";

/** What the engine gives triggers, on a clock the test moves. */
export function envFor(playbook = "pb", limiter = new RateLimiter(), clock = new FakeClock()): TriggerEnv {
  return {
    playbook,
    get now() {
      return clock.now();
    },
    markAndTest: (key, seconds) => limiter.markAndTest(key, seconds, clock.now()),
  };
}
