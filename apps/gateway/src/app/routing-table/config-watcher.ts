/**
 * Tells when the config file may have changed. Watches the file's directory rather than the
 * file: editors and deploy tools replace a file (write a temp file, rename it over), which ends
 * a watch on the old inode; the directory's watch sees the rename and every later write (and a
 * Kubernetes ConfigMap's `..data` swap).
 * Events come in bursts (a save is often truncate + write + rename), so they are gathered for
 * `debounceMs` and reported once. Whether the content really changed is the listener's call
 * (the reload compares the file's hash).
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export class ConfigWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
    private readonly warn: (message: string) => void,
    private readonly debounceMs = 200,
  ) {}

  start(): void {
    const name = basename(this.file);
    try {
      this.watcher = watch(dirname(this.file), { persistent: false }, (_event, changed) => {
        // Some platforms do not say which file; then any change in the directory counts. A
        // Kubernetes ConfigMap volume swaps a `..data` symlink rather than touching the file.
        const what = changed?.toString();
        if (what !== undefined && what !== name && !what.startsWith('..')) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.onChange(), this.debounceMs);
        this.timer.unref();
      });
      this.watcher.on('error', (error: Error) => this.warn(`config watch stopped (${error.message}); SIGHUP still reloads ${this.file}`));
    } catch (error) {
      this.warn(`cannot watch ${this.file} (${(error as Error).message}); SIGHUP reloads it`);
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
