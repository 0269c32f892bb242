import { randomBytes } from 'node:crypto';
import { CtiError } from '../errors.ts';
import { all, run, type Database, type Row } from './database.ts';
import type { Store, StoredTrigger } from './types.ts';
import { decrypt, encrypt, type MasterKey } from './secrets.ts';
import { isoOut } from './values.ts';

/** Webhook signing secrets inside a definition are sealed at rest like account secrets. */
const SECRET_CONTEXT = 'trigger:webhook-secret';
type Action = Record<string, unknown>;

function mapActions(definition: Record<string, unknown>, change: (action: Action) => Action): Record<string, unknown> {
  return Array.isArray(definition.actions) ? { ...definition, actions: (definition.actions as Action[]).map(change) } : definition;
}

function seal(master: MasterKey, definition: Record<string, unknown>): Record<string, unknown> {
  return mapActions(definition, (action) => {
    if (typeof action.secret !== 'string') return action;
    const { secret, ...rest } = action;
    return { ...rest, sealedSecret: encrypt(master, secret, SECRET_CONTEXT) };
  });
}

function unseal(master: MasterKey, definition: Record<string, unknown>): Record<string, unknown> {
  return mapActions(definition, (action) => {
    if (typeof action.sealedSecret !== 'string') return action;
    const { sealedSecret, ...rest } = action;
    return { ...rest, secret: decrypt(master, sealedSecret, SECRET_CONTEXT) };
  });
}

/** Trigger ids end up inside job keys (`eventId/triggerId/action`): short, no slash. */
const newTriggerId = (): string => randomBytes(8).toString('hex');

export function triggersRepository(db: Database, master: MasterKey): Store['triggers'] {
  const { now } = db.dialect;
  const toTrigger = (row: Row): StoredTrigger => ({
    id: String(row.id),
    name: String(row.name),
    enabled: Boolean(row.enabled),
    definition: unseal(master, JSON.parse(String(row.definition))),
    createdAt: isoOut(row.created_at),
    updatedAt: isoOut(row.updated_at),
  });
  return {
    /**
     * With an id: create or replace that trigger. Without: the trigger of that name is replaced (keeping its
     * id, so importing a file twice changes nothing) or a new one is created.
     */
    async save(trigger) {
      const [row] = await db.transaction(function* () {
        const [named] = yield* all<{ id: string }>('SELECT id FROM triggers WHERE name = ?', [trigger.name]);
        if (named && trigger.id && named.id !== trigger.id) {
          throw new CtiError('TRIGGER_NAME_TAKEN', `another trigger (${named.id}) is already named "${trigger.name}"; choose another name`, {
            field: 'name',
          });
        }
        const id = trigger.id ?? named?.id ?? newTriggerId();
        return yield* all(
          `INSERT INTO triggers (id, name, enabled, definition) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled, definition = excluded.definition, updated_at = ${now}
           RETURNING *`,
          [id, trigger.name, trigger.enabled, JSON.stringify(seal(master, trigger.definition))],
        );
      });
      return toTrigger(row);
    },
    async get(idOrName) {
      const rows = await db.read(() => all('SELECT * FROM triggers WHERE id = ? OR name = ? ORDER BY (id = ?) DESC', [idOrName, idOrName, idOrName]));
      return rows[0] ? toTrigger(rows[0]) : null;
    },
    async list() {
      return (await db.read(() => all('SELECT * FROM triggers ORDER BY name'))).map(toTrigger);
    },
    async remove(id) {
      return (await db.transaction(() => run('DELETE FROM triggers WHERE id = ?', [id]))) > 0;
    },
  };
}
