/**
 * Calls back when a file's content changes. It watches the file's directory, not the file:
 * Kubernetes updates a mounted Secret or ConfigMap by swapping a symlink, which a watch on the
 * old file never sees. Bursts of events are debounced, and only a real change of content counts.
 */
import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { errorMessage, type Logger } from "@robusta-ts/sdk";

export interface FileWatcherOptions {
  readonly file: string;
  /** Quiet time after the last event before the file is read; default 2 s, as Robusta. */
  readonly debounceMs?: number;
  readonly logger: Logger;
  /** Called with the new content; awaited before the next change is considered. */
  readonly onChange: (text: string) => Promise<void> | void;
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

export class FileWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastDigest: string | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileWatcherOptions) {}

  /** Starts watching; `initial` is the content already loaded, so it does not count as a change. */
  start(initial: string): void {
    this.lastDigest = digest(initial);
    const name = basename(this.options.file);
    this.watcher = watch(dirname(this.options.file), (_event, changed) => {
      // A mounted volume changes "..data", not the file's own name.
      if (changed === null || changed === name || changed.startsWith("..")) this.schedule();
    });
    this.watcher.on("error", (error) => this.options.logger.warn({ file: this.options.file, reason: errorMessage(error) }, "cannot watch the configuration file"));
  }

  /** Stops watching; waits for a change being handled. */
  async stop(): Promise<void> {
    this.watcher?.close();
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.running.then(() => this.check());
    }, this.options.debounceMs ?? 2000);
  }

  private async check(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.options.file, "utf8");
    } catch (error) {
      // Mid-swap, or deleted: the next event brings it back; keep what runs.
      this.options.logger.warn({ file: this.options.file, reason: errorMessage(error) }, "cannot read the configuration file");
      return;
    }
    const next = digest(text);
    if (next === this.lastDigest) return;
    this.lastDigest = next;
    try {
      await this.options.onChange(text);
    } catch (error) {
      this.options.logger.error({ file: this.options.file, reason: errorMessage(error) }, "configuration change not applied");
    }
  }
}
