-- ctibridge schema, PostgreSQL dialect. Keep in step with ../sqlite/001_init.sql: same tables, columns and
-- indexes. JSON is kept as text: payloads stay byte-for-byte as received, and nothing queries inside them.

CREATE TABLE store_meta (
  name text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  config text NOT NULL,   -- AccountConfig as JSON without the secret auth fields
  secrets text NOT NULL,  -- the secret auth fields, AES-256-GCM encrypted (secrets.ts)
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE triggers (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  enabled boolean NOT NULL,
  definition text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  type text NOT NULL,
  interaction_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  source text NOT NULL,
  phone_digits text,      -- customer.phone, digits only, for filtering by number
  payload text NOT NULL   -- the event as received (JSON)
);
CREATE INDEX events_interaction ON events (interaction_id);
CREATE INDEX events_received_at ON events (received_at);
CREATE INDEX events_phone ON events (phone_digits);

CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key text NOT NULL UNIQUE,
  event_id text NOT NULL,
  trigger_id text NOT NULL,
  action_name text NOT NULL,
  action_index integer NOT NULL,
  kind text NOT NULL,
  account text,
  depends_on text,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  run_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz,
  result text,
  error_code text,
  error_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
-- lease() walks unfinished jobs in (run_at, id) order; done and dead jobs stay out of this index.
CREATE INDEX jobs_ready ON jobs (run_at, id) WHERE state IN ('pending', 'leased');
CREATE INDEX jobs_depends_on ON jobs (depends_on) WHERE depends_on IS NOT NULL;
CREATE INDEX jobs_event ON jobs (event_id);
CREATE INDEX jobs_state_created ON jobs (state, created_at);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
