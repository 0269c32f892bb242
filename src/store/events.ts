import { CtiError } from '../errors.ts';
import type { InteractionEvent } from '../domain/interaction.ts';
import { normalizePhone } from '../domain/phone.ts';
import { all, type Database, type Row } from './database.ts';
import { insertJobs } from './jobs/insertJobs.ts';
import type { EventFilter, Store, StoredEvent } from './types.ts';
import { isoIn, isoOut, limitOf, num } from './values.ts';

const toEvent = (row: Row): StoredEvent => ({
  seq: num(row.seq),
  id: String(row.id),
  type: String(row.type),
  interactionId: String(row.interaction_id),
  source: String(row.source),
  receivedAt: isoOut(row.received_at),
  event: JSON.parse(String(row.payload)),
});

const EVENT_COLUMNS = {
  id: 'text',
  type: 'text',
  interaction_id: 'text',
  occurred_at: 'timestamp',
  source: 'text',
  phone_digits: 'text',
  payload: 'text',
} as const;

/** A suffix match (national vs international writing) only on numbers long enough not to match everything. */
const MIN_SUFFIX_DIGITS = 7;

function phoneDigits(event: InteractionEvent): string | null {
  const phone = event.interaction.customer?.phone;
  const digits = phone ? normalizePhone(phone).digits : '';
  return digits || null;
}

/** First occurrence of each id wins; later ones in the same batch are duplicates like any stored id. */
function splitRepeats(events: InteractionEvent[]): { unique: InteractionEvent[]; repeats: string[] } {
  const seen = new Set<string>();
  const unique: InteractionEvent[] = [];
  const repeats: string[] = [];
  for (const event of events) {
    if (seen.has(event.id)) repeats.push(event.id);
    else {
      seen.add(event.id);
      unique.push(event);
    }
  }
  return { unique, repeats };
}

export function eventsRepository(db: Database): Store['events'] {
  const d = db.dialect;
  return {
    async appendAndPlan(events, source, plan) {
      const { unique, repeats } = splitRepeats(events);
      const rows = unique.map((event) => ({
        id: event.id,
        type: event.type,
        interaction_id: event.interaction.id,
        occurred_at: isoIn(event.occurredAt, 'occurredAt'),
        source,
        phone_digits: phoneDigits(event),
        payload: JSON.stringify(event),
      }));
      return db.transaction(function* () {
        if (rows.length === 0) return { accepted: [], duplicates: repeats, jobs: 0 };
        const batch = d.rows('r', EVENT_COLUMNS, rows);
        const inserted = yield* all<{ id: string }>(
          `INSERT INTO events (${Object.keys(EVENT_COLUMNS).join(', ')})
           SELECT ${Object.keys(EVENT_COLUMNS).join(', ')} FROM ${batch.sql} WHERE true
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [batch.param],
        );
        const insertedIds = new Set(inserted.map((row) => row.id));
        const fresh = unique.filter((event) => insertedIds.has(event.id));
        const jobs = yield* insertJobs(d, plan(fresh));
        return {
          accepted: fresh.map((event) => event.id),
          duplicates: [...unique.filter((event) => !insertedIds.has(event.id)).map((event) => event.id), ...repeats],
          jobs,
        };
      });
    },

    async get(id) {
      const [row] = await db.read(() => all('SELECT * FROM events WHERE id = ?', [id]));
      return row ? toEvent(row) : null;
    },

    /** Arrival order (seq). `since`/`until` bound the time the event was received, i.e. when it was planned. */
    async list(filter: EventFilter) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (condition: string, ...values: unknown[]) => {
        where.push(condition);
        params.push(...values);
      };
      if (filter.afterSeq !== undefined) add('seq > ?', filter.afterSeq);
      if (filter.since) add('received_at >= ?', isoIn(filter.since, 'since'));
      if (filter.until) add('received_at < ?', isoIn(filter.until, 'until'));
      if (filter.interactionId) add('interaction_id = ?', filter.interactionId);
      if (filter.type) add('type = ?', filter.type);
      if (filter.phone) {
        const digits = filter.phone.replace(/\D/g, '');
        if (!digits) throw new CtiError('INVALID_FILTER', `phone must contain digits, got "${filter.phone}"`, { field: 'phone' });
        if (digits.length < MIN_SUFFIX_DIGITS) add('phone_digits = ?', digits);
        else {
          // "+39 347 555 0101" finds "347 555 0101" and the reverse.
          add(
            `(phone_digits = ? OR phone_digits LIKE ('%' || ?) OR (length(phone_digits) >= ${MIN_SUFFIX_DIGITS} AND ? LIKE ('%' || phone_digits)))`,
            digits,
            digits,
            digits,
          );
        }
      }
      params.push(limitOf(filter.limit));
      const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
      return (await db.read(() => all(sql, params))).map(toEvent);
    },

    async count() {
      const [row] = await db.read(() => all('SELECT count(*) AS n FROM events'));
      return num(row.n);
    },
  };
}
