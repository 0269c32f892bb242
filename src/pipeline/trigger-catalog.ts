import type { Trigger } from '../domain/trigger.ts';
import { validateTrigger } from '../domain/trigger.ts';
import type { Store } from '../store/types.ts';

/**
 * The stored triggers, parsed once and kept in memory: ingest plans every event against them and the worker
 * reads each job's action from them. Saving a trigger through the admin API or CLI calls `reload()`.
 */
export class TriggerCatalog {
  private byId = new Map<string, Trigger>();
  private loadedAt = 0;

  constructor(
    private readonly store: Store,
    /** Other processes (PostgreSQL) may change triggers: re-read after this long. */
    private readonly maxAgeMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  async reload(): Promise<void> {
    const stored = await this.store.triggers.list();
    const next = new Map<string, Trigger>();
    for (const row of stored) {
      const checked = validateTrigger({ ...row.definition, name: row.name, enabled: row.enabled });
      // A stored trigger that no longer validates (schema evolved) is skipped, not fatal: it shows in the UI.
      if (checked.ok) next.set(row.id, checked.trigger);
    }
    this.byId = next;
    this.loadedAt = this.now();
  }

  async fresh(): Promise<this> {
    if (this.now() - this.loadedAt > this.maxAgeMs) await this.reload();
    return this;
  }

  get(id: string): Trigger | undefined {
    return this.byId.get(id);
  }

  /** Enabled triggers, in the shape planning takes. */
  enabled(): Array<{ id: string; trigger: Trigger }> {
    return [...this.byId].filter(([, t]) => t.enabled).map(([id, trigger]) => ({ id, trigger }));
  }
}
