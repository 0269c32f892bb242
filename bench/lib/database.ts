import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where one pass keeps its data: a fresh temp dir, and with PostgreSQL a fresh schema, both removed after. */
export interface PassStore {
  dataDir: string;
  databaseUrl?: string;
  describe: string;
  dispose(): Promise<void>;
}

export async function freshStore(kind: 'sqlite' | 'postgres', label: string): Promise<PassStore> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `ctibridge-bench-${label}-`));
  if (kind === 'sqlite') {
    return { dataDir, describe: `SQLite in ${dataDir}`, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = `bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  const databaseUrl = `${POSTGRES_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    dataDir,
    databaseUrl,
    describe: `PostgreSQL schema ${schema}`,
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
