-- Accounts, sessions, throttling, outbox, audit; places; cycles and ideas.
-- Times are seconds since the epoch (BIGINT) on every backend. "INTEGER
-- PRIMARY KEY" is a generated id (SQLite's rowid, an identity column on
-- PostgreSQL: see src/db/migrate.c); references to ids are BIGINT. The
-- district numbers are given, not generated: BIGINT PRIMARY KEY.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,          -- stored lower-case
  name          TEXT NOT NULL,
  pw_hash       TEXT NOT NULL,                 -- argon2id, libsodium string format
  role          TEXT NOT NULL DEFAULT 'resident'
                CHECK (role IN ('resident','team','spurgruppe','committee','supporter','steward','admin')),
  lang          TEXT NOT NULL DEFAULT 'de',
  confirmed_at  BIGINT,
  blocked_at    BIGINT,
  created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,              -- BLAKE2b of the cookie token, hex
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf          TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE email_tokens (
  token_hash    TEXT PRIMARY KEY,
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose       TEXT NOT NULL CHECK (purpose IN ('confirm')),
  expires_at    BIGINT NOT NULL,
  used_at       BIGINT
);

-- Fixed-window counters for login throttling, shared by every server instance.
CREATE TABLE throttle (
  key           TEXT PRIMARY KEY,
  window_start  BIGINT NOT NULL,
  hits          INTEGER NOT NULL
);

CREATE TABLE outbox (
  id            INTEGER PRIMARY KEY,
  to_addr       TEXT NOT NULL,
  subject       TEXT NOT NULL,
  body          TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  sent_at       BIGINT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);

CREATE TABLE audit (
  id            INTEGER PRIMARY KEY,
  at            BIGINT NOT NULL,
  actor_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
  action        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_subject ON audit(subject, at);

CREATE TABLE stadtbezirke (
  nr            BIGINT PRIMARY KEY,
  name          TEXT NOT NULL,
  geometry      TEXT NOT NULL                  -- GeoJSON geometry
);

CREATE TABLE stadtteile (
  nr            BIGINT PRIMARY KEY,
  name          TEXT NOT NULL,
  bezirk_nr     BIGINT NOT NULL REFERENCES stadtbezirke(nr),
  geometry      TEXT NOT NULL
);

CREATE TABLE fields (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL UNIQUE,
  name_de       TEXT NOT NULL,
  name_en       TEXT NOT NULL
);

CREATE TABLE cycles (
  id               INTEGER PRIMARY KEY,
  number           INTEGER NOT NULL UNIQUE,
  theme_de         TEXT NOT NULL,
  theme_en         TEXT NOT NULL,
  submission_start BIGINT NOT NULL,
  submission_end   BIGINT NOT NULL,              -- exclusive
  phase1_start     BIGINT NOT NULL,              -- Ideensammlung
  phase2_start     BIGINT NOT NULL,              -- Projektkonkretisierung
  phase3_start     BIGINT NOT NULL,              -- Maßnahmenqualifizierung
  phase4_start     BIGINT NOT NULL,              -- Umsetzung
  phase4_end       BIGINT NOT NULL,
  CHECK (submission_start < submission_end),
  CHECK (phase1_start <= phase2_start AND phase2_start <= phase3_start
         AND phase3_start <= phase4_start AND phase4_start <= phase4_end)
);

CREATE TABLE ideas (
  id               INTEGER PRIMARY KEY,
  cycle_id         BIGINT NOT NULL REFERENCES cycles(id),
  author_id        BIGINT REFERENCES users(id) ON DELETE SET NULL,
  title            TEXT NOT NULL,
  summary          TEXT NOT NULL,
  description_md   TEXT NOT NULL,
  description_html TEXT NOT NULL,                -- rendered once on write
  field_id         BIGINT NOT NULL REFERENCES fields(id),
  bezirk_nr        BIGINT NOT NULL REFERENCES stadtbezirke(nr),
  stadtteil_nr     BIGINT NOT NULL REFERENCES stadtteile(nr),
  status           TEXT NOT NULL DEFAULT 'submitted',
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX ideas_newest ON ideas(created_at DESC, id DESC);
CREATE INDEX ideas_field ON ideas(field_id, created_at DESC, id DESC);
CREATE INDEX ideas_bezirk ON ideas(bezirk_nr, created_at DESC, id DESC);
