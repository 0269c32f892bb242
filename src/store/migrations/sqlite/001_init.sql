-- ctibridge schema, SQLite dialect (timestamps are ISO-8601 UTC text: 2026-11-28T09:15:00.000Z, which sorts).
-- Keep in step with ../postgres/001_init.sql: same tables, columns and indexes.

CREATE TABLE store_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL,   -- AccountConfig as JSON without the secret auth fields
  secrets TEXT NOT NULL,  -- the secret auth fields, AES-256-GCM encrypted (secrets.ts)
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE triggers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  enabled INTEGER NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  interaction_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  source TEXT NOT NULL,
  phone_digits TEXT,      -- customer.phone, digits only, for filtering by number
  payload TEXT NOT NULL   -- the event as received (JSON)
);
CREATE INDEX events_interaction ON events (interaction_id);
CREATE INDEX events_received_at ON events (received_at);
CREATE INDEX events_phone ON events (phone_digits);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  event_id TEXT NOT NULL,
  trigger_id TEXT NOT NULL,
  action_name TEXT NOT NULL,
  action_index INTEGER NOT NULL,
  kind TEXT NOT NULL,
  account TEXT,
  depends_on TEXT,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  lease_owner TEXT,
  lease_until TEXT,
  result TEXT,
  error_code TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at TEXT
);
-- lease() walks unfinished jobs in (run_at, id) order; done and dead jobs stay out of this index.
CREATE INDEX jobs_ready ON jobs (run_at, id) WHERE state IN ('pending', 'leased');
CREATE INDEX jobs_depends_on ON jobs (depends_on) WHERE depends_on IS NOT NULL;
CREATE INDEX jobs_event ON jobs (event_id);
CREATE INDEX jobs_state_created ON jobs (state, created_at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
