/** Our logger as the Slack libraries (WebClient, Bolt, Socket Mode) want one. */
import type { Logger } from "@robusta-ts/sdk";
import { LogLevel, type Logger as SlackLogger } from "@slack/web-api";

/** Wraps `logger` for @slack/web-api, Bolt and Socket Mode; our logger decides what is printed. */
export function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const line = (parts: readonly unknown[]): string => parts.map(text).join(" ");
  return {
    debug: (...parts: unknown[]) => logger.debug(line(parts)),
    info: (...parts: unknown[]) => logger.info(line(parts)),
    warn: (...parts: unknown[]) => logger.warn(line(parts)),
    error: (...parts: unknown[]) => logger.error(line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

function text(part: unknown): string {
  if (typeof part === "string") return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
