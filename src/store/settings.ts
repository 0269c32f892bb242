import { all, run, type Database } from './database.ts';
import type { Store } from './types.ts';

export function settingsRepository(db: Database): Store['settings'] {
  return {
    async get<T>(key: string) {
      const [row] = await db.read(() => all<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]));
      return row ? (JSON.parse(row.value) as T) : null;
    },
    async set(key, value) {
      await db.transaction(() =>
        run(
          `INSERT INTO settings (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = ${db.dialect.now}`,
          [key, JSON.stringify(value ?? null)],
        ),
      );
    },
  };
}
