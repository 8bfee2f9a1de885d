/**
 * Calls back when a source file of the playbook modules changes. It watches the directories of
 * the files the last build read (editors save by writing a new file and renaming it, which a
 * watch on the file itself would lose), and debounces the burst of events one save makes.
 */
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { errorMessage, type Logger } from "@robusta-ts/sdk";

export interface ModuleWatcherOptions {
  readonly logger: Logger;
  /** Quiet time after the last event; default 150 ms. */
  readonly debounceMs?: number;
  /** Called once per burst of changes; awaited before the next burst is handled. */
  readonly onChange: () => Promise<void>;
}

/** Source files worth a reload (not editor swap files or build output). */
const SOURCE = /\.(c|m)?(t|j)sx?$|\.json$/;

export class ModuleWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: ModuleWatcherOptions) {}

  /** Watches the directories of `files` (and no others). */
  watchFiles(files: readonly string[]): void {
    if (this.stopped) return;
    const dirs = new Set(files.map((file) => dirname(file)));
    for (const [dir, watcher] of this.watchers) {
      if (!dirs.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, (_event, name) => {
          if (name === null || SOURCE.test(basename(name))) this.schedule();
        });
        watcher.on("error", (error) => this.options.logger.warn({ dir, reason: errorMessage(error) }, "cannot watch playbook sources"));
        this.watchers.set(dir, watcher);
      } catch (error) {
        this.options.logger.warn({ dir, reason: errorMessage(error) }, "cannot watch playbook sources");
      }
    }
  }

  /** Stops watching; waits for a reload under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    await this.running;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.running
        .then(() => (this.stopped ? undefined : this.options.onChange()))
        .catch((error: unknown) => this.options.logger.error({ reason: errorMessage(error) }, "cannot reload the playbook modules"));
    }, this.options.debounceMs ?? 150);
  }
}
