import type { AccountConfig } from '../domain/account.ts';
import { all, run, type Database, type Row } from './database.ts';
import { accountContext, decrypt, encrypt, joinSecrets, splitSecrets, type MasterKey } from './secrets.ts';
import type { Store, StoredAccount } from './types.ts';
import { isoOut, num } from './values.ts';

/** Accounts: plain config as JSON, the secret auth fields sealed in their own column. */
export function accountsRepository(db: Database, master: MasterKey): Store['accounts'] {
  const toAccount = (row: Row): StoredAccount => {
    const plain = JSON.parse(String(row.config)) as AccountConfig;
    const secrets = JSON.parse(decrypt(master, String(row.secrets), accountContext(plain.name)));
    return { id: num(row.id), config: joinSecrets(plain, secrets), createdAt: isoOut(row.created_at), updatedAt: isoOut(row.updated_at) };
  };
  const { now } = db.dialect;

  return {
    async upsert(config) {
      const { plain, secrets } = splitSecrets(config);
      const [row] = await db.transaction(() =>
        all(
          `INSERT INTO accounts (name, config, secrets) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET config = excluded.config, secrets = excluded.secrets, updated_at = ${now}
           RETURNING *`,
          [config.name, JSON.stringify(plain), encrypt(master, JSON.stringify(secrets), accountContext(config.name))],
        ),
      );
      return toAccount(row);
    },
    async get(name) {
      const [row] = await db.read(() => all('SELECT * FROM accounts WHERE name = ?', [name]));
      return row ? toAccount(row) : null;
    },
    async list() {
      return (await db.read(() => all('SELECT * FROM accounts ORDER BY name'))).map(toAccount);
    },
    async remove(name) {
      return (await db.transaction(() => run('DELETE FROM accounts WHERE name = ?', [name]))) > 0;
    },
  };
}
