import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openStore, SQLITE_FILE, type StoreOptions } from '../../src/store/db.ts';
import type { Store } from '../../src/store/types.ts';

/**
 * Real databases for tests: a SQLite file in a temp dir, or a fresh randomly named schema in the PostgreSQL
 * test database (CTIBRIDGE_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), dropped at
 * cleanup. CTIBRIDGE_TEST_BACKENDS=sqlite (or postgres) narrows forEachBackend to one of them.
 */

export type BackendKind = 'sqlite' | 'postgres';

export const POSTGRES_TEST_URL = process.env.CTIBRIDGE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestBackend {
  kind: BackendKind;
  /** What openStore needs to reach this database (its own temp dir and a random master key included). */
  options: StoreOptions;
  /** A migrated Store on this database; several may be open at once. Closed by cleanup(). */
  open(overrides?: Partial<StoreOptions>): Promise<Store>;
  /** Raw SQL on the database, around the store (to see what is at rest). Placeholders: SQLite ?, PostgreSQL $1. */
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  cleanup(): Promise<void>;
}

export function selectedBackends(): BackendKind[] {
  const wanted = process.env.CTIBRIDGE_TEST_BACKENDS?.split(',').map((s) => s.trim());
  return (['sqlite', 'postgres'] as const).filter((kind) => !wanted || wanted.includes(kind));
}

export async function createTestBackend(kind: BackendKind): Promise<TestBackend> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ctibridge-store-'));
  const masterKey = randomBytes(32).toString('hex');
  const stores: Store[] = [];
  let schema: string | null = null;
  let admin: pg.Client | null = null;
  let options: StoreOptions = { dataDir, masterKey };

  if (kind === 'postgres') {
    schema = `test_${randomBytes(6).toString('hex')}`;
    admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`SET search_path TO ${schema}`);
    const url = new URL(POSTGRES_TEST_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    options = { ...options, databaseUrl: url.toString() };
  }
  const sqlite = kind === 'sqlite' ? () => new BetterSqlite3(path.join(dataDir, SQLITE_FILE)) : null;

  return {
    kind,
    options,
    async open(overrides = {}) {
      const store = await openStore({ ...options, ...overrides });
      stores.push(store);
      try {
        await store.migrate();
      } catch (error) {
        stores.pop();
        await store.close();
        throw error;
      }
      return store;
    },
    async query(sql, params = []) {
      if (admin) return (await admin.query(sql, params)).rows;
      const db = (sqlite as () => BetterSqlite3.Database)();
      try {
        const statement = db.prepare(sql);
        return statement.reader ? (statement.all(...params) as Array<Record<string, unknown>>) : (statement.run(...params), []);
      } finally {
        db.close();
      }
    },
    async cleanup() {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      if (admin) {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A migrated store on a fresh database of that kind; `close` also removes the database. */
export async function openTestStore(kind: BackendKind): Promise<{ store: Store; backend: TestBackend; close: () => Promise<void> }> {
  const backend = await createTestBackend(kind);
  const store = await backend.open();
  return { store, backend, close: () => backend.cleanup() };
}

/**
 * Register the same tests once per backend, each under `describe(kind)`. `fresh()` gives a new empty
 * database for a test; all of them are removed after the group.
 */
export function forEachBackend(define: (fresh: () => Promise<TestBackend>, kind: BackendKind) => void): void {
  for (const kind of selectedBackends()) {
    describe(kind, () => {
      const created: TestBackend[] = [];
      after(async () => {
        await Promise.all(created.splice(0).map((backend) => backend.cleanup()));
      });
      define(async () => {
        const backend = await createTestBackend(kind);
        created.push(backend);
        return backend;
      }, kind);
    });
  }
}
