import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Org } from './org.ts';

const SAVE_DELAY_MS = 200;

/** Keeps an org's records in a JSON file: loaded at start, written shortly after changes and on close. */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly org: Org, private readonly path: string) {}

  load(): void {
    if (!existsSync(this.path)) return;
    this.org.restore(JSON.parse(readFileSync(this.path, 'utf8')));
  }

  scheduleSave(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.org.snapshot()));
    renameSync(temporary, this.path);
  }
}
