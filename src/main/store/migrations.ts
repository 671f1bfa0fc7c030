/**
 * Numbered, append-only migrations. Never edit one that has shipped: add the next number.
 * Each runs inside the single start-up transaction of `openStore`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'workspace, keys and audit',
    sql: `
      CREATE TABLE accounts (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        plan        TEXT NOT NULL CHECK (plan IN ('free','pro','enterprise')),
        packages    TEXT NOT NULL DEFAULT '[]',
        embeddable  INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE users (
        id              INTEGER PRIMARY KEY,
        email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name            TEXT NOT NULL,
        external_id     TEXT,
        password_hash   TEXT,
        email_verified  INTEGER NOT NULL DEFAULT 1,
        created_at      INTEGER NOT NULL
      );
      CREATE TABLE memberships (
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role        TEXT NOT NULL CHECK (role IN ('owner','admin','member')),
        PRIMARY KEY (account_id, user_id)
      );
      CREATE INDEX memberships_user ON memberships(user_id);
      CREATE TABLE bots (
        id             TEXT PRIMARY KEY,
        account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        owner_user_id  INTEGER NOT NULL REFERENCES users(id),
        created_at     INTEGER NOT NULL
      );
      CREATE INDEX bots_account ON bots(account_id);
      CREATE TABLE bot_team (
        bot_id   TEXT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        level    TEXT NOT NULL CHECK (level IN ('admin','editor','operator','viewer')),
        PRIMARY KEY (bot_id, user_id)
      );
      -- Keys are stored as SHA-256 hashes; last4 lets the console tell them apart.
      CREATE TABLE api_keys (
        id          INTEGER PRIMARY KEY,
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        bot_id      TEXT REFERENCES bots(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('account_key','bot_key','bot_secret')),
        hash        TEXT NOT NULL UNIQUE,
        last4       TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      );
      CREATE INDEX api_keys_owner ON api_keys(account_id, bot_id, kind);
      CREATE TABLE audit_events (
        id           INTEGER PRIMARY KEY,
        at           INTEGER NOT NULL,
        kind         TEXT NOT NULL,
        account_id   TEXT,
        email        TEXT,
        actor        TEXT,
        method       TEXT,
        outcome      TEXT NOT NULL,
        reason       TEXT,
        duration_ms  INTEGER,
        detail       TEXT
      );
      CREATE INDEX audit_at ON audit_events(at DESC, id DESC);
      -- The demo world's generated credentials, encrypted, so that the console can show them.
      CREATE TABLE demo_credentials (
        id          INTEGER PRIMARY KEY,
        label       TEXT NOT NULL,
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        bot_id      TEXT REFERENCES bots(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        value_enc   TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'per-account SSO configuration',
    sql: `
      -- client_secret_enc is SecretBox ciphertext (v1: AES-256-GCM, e1: safeStorage), never clear text.
      CREATE TABLE sso_oidc (
        account_id         TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        enabled            INTEGER NOT NULL DEFAULT 0,
        preset             TEXT NOT NULL DEFAULT 'generic',
        preset_params      TEXT NOT NULL DEFAULT '{}',
        issuer             TEXT NOT NULL,
        client_id          TEXT NOT NULL,
        client_secret_enc  TEXT,
        scopes             TEXT NOT NULL DEFAULT '["openid","email","profile"]',
        redirect_host      TEXT NOT NULL DEFAULT '127.0.0.1',
        enabled_at         INTEGER,
        enabled_by         TEXT,
        updated_at         INTEGER NOT NULL
      );
      CREATE TABLE sso_passthrough (
        account_id   TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        enabled      INTEGER NOT NULL DEFAULT 0,
        url          TEXT NOT NULL,
        method       TEXT NOT NULL DEFAULT 'POST',
        data_as      TEXT NOT NULL DEFAULT 'json',
        auth_type    TEXT NOT NULL DEFAULT 'none',
        headers      TEXT NOT NULL DEFAULT '{}',
        body         TEXT NOT NULL DEFAULT '',
        forgot_url   TEXT,
        timeout_ms   INTEGER NOT NULL DEFAULT 5000,
        updated_at   INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'platform SSO tokens and sessions',
    sql: `
      -- Platform API tokens: only the SHA-256 of the token is kept. scope 'sso' tokens name a bot and a
      -- user and open deep links; scope 'integration' tokens name an account and open the Platform API.
      CREATE TABLE sso_tokens (
        id          INTEGER PRIMARY KEY,
        hash        TEXT NOT NULL UNIQUE,
        scope       TEXT NOT NULL CHECK (scope IN ('sso','integration')),
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        bot_id      TEXT REFERENCES bots(id) ON DELETE CASCADE,
        user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
        issued_at   INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      );
      -- Browser sessions opened by redeeming an SSO token (the cookie carries the id; only its hash is kept).
      CREATE TABLE sso_sessions (
        id          INTEGER PRIMARY KEY,
        hash        TEXT NOT NULL UNIQUE,
        token_id    INTEGER NOT NULL REFERENCES sso_tokens(id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        ended_at    INTEGER
      );
      CREATE INDEX sso_sessions_token ON sso_sessions(token_id);
    `,
  },
  {
    version: 4,
    name: 'password login: sessions, reset tokens, outbox',
    sql: `
      -- Sessions of the platform's own login endpoints; the token is kept only as a SHA-256 hash.
      CREATE TABLE auth_sessions (
        id          INTEGER PRIMARY KEY,
        token_hash  TEXT NOT NULL UNIQUE,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        method      TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      );
      -- One-time password-reset tokens, hashed, 30 minutes.
      CREATE TABLE password_resets (
        id          INTEGER PRIMARY KEY,
        token_hash  TEXT NOT NULL UNIQUE,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        used_at     INTEGER
      );
      CREATE INDEX password_resets_user ON password_resets(user_id);
      -- The offline mailbox of the local reset flow; the text (it carries a reset token) is SecretBox ciphertext.
      CREATE TABLE auth_outbox (
        id        INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        to_email  TEXT NOT NULL,
        subject   TEXT NOT NULL,
        text_enc  TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'OIDC sign-in sessions',
    sql: `
      -- A session made by "Sign in with SSO". The session id is kept only as a SHA-256 hash; the ID token
      -- (needed as id_token_hint for RP-initiated logout) only as SecretBox ciphertext.
      CREATE TABLE oidc_sessions (
        id_hash        TEXT PRIMARY KEY,
        user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        issuer         TEXT NOT NULL,
        id_token_enc   TEXT,
        created_at     INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        ended_at       INTEGER
      );
      CREATE INDEX oidc_sessions_user ON oidc_sessions(user_id);
    `,
  },
  {
    version: 6,
    name: 'audit search, retention and settings',
    sql: `
      -- Events are appended in time order, so id order is time order: pages are keyset-paged by id, and
      -- a time range becomes an id range with one seek on audit_time. One index per filter column keeps
      -- each write cheap (issuing a token writes an event); combined filters walk one and test the rest.
      CREATE INDEX audit_account ON audit_events(account_id, id);
      CREATE INDEX audit_outcome ON audit_events(outcome, id);
      CREATE INDEX audit_method ON audit_events(method, id);
      CREATE INDEX audit_time ON audit_events(at);
      -- Words of the searchable columns; account, method and outcome ride along so that a text search
      -- with filters is one intersection of posting lists instead of a scan. Rows are indexed in batches
      -- behind the writes (up to audit_fts_state.indexed_through), never on the write path; a search
      -- first catches the index up, so it never misses an event.
      CREATE VIRTUAL TABLE audit_fts USING fts5(
        kind, email, account_id, actor, reason, method, outcome, content='audit_events', content_rowid='id'
      );
      CREATE TABLE audit_fts_state (
        one              INTEGER PRIMARY KEY CHECK (one = 1),
        indexed_through  INTEGER NOT NULL
      );
      INSERT INTO audit_fts_state (one, indexed_through) VALUES (1, 0);
      -- An external-content FTS row must be deleted with the values it was indexed with, and only if it was.
      CREATE TRIGGER audit_fts_delete AFTER DELETE ON audit_events
      WHEN old.id <= (SELECT indexed_through FROM audit_fts_state) BEGIN
        INSERT INTO audit_fts (audit_fts, rowid, kind, email, account_id, actor, reason, method, outcome)
        VALUES ('delete', old.id, old.kind, old.email, old.account_id, old.actor, old.reason, old.method, old.outcome);
      END;
      CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'membership status: the one model of users and memberships (console directory + provisioning)',
    sql: `
      -- A membership is the unit that can be switched off: a user deactivated in one account (by SCIM
      -- provisioning or by an admin) keeps every other account. status_by names who did it
      -- ('scim:Okta', 'scim:Microsoft Entra ID', 'console', '--import'); status_at when.
      ALTER TABLE memberships ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','deactivated'));
      ALTER TABLE memberships ADD COLUMN status_at INTEGER;
      ALTER TABLE memberships ADD COLUMN status_by TEXT;
      -- Where the membership came from: 'local' (console, import, demo) or 'scim'; provisioned_by is the IdP
      -- (from its User-Agent), provisioned_at the first time it provisioned the user.
      ALTER TABLE memberships ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local','scim'));
      ALTER TABLE memberships ADD COLUMN provisioned_by TEXT;
      ALTER TABLE memberships ADD COLUMN provisioned_at INTEGER;
    `,
  },
  {
    version: 50,
    name: 'safe SSO enforcement: last Test connection, last test sign-in, owner break-glass',
    sql: `
      -- Per account: the last Test connection and test sign-in, each with the fingerprint of the
      -- configuration it ran on (a later edit changes the fingerprint, so the evidence no longer counts),
      -- and the owner break-glass switch (owners keep their password while SSO is enforced).
      CREATE TABLE sso_enforcement (
        account_id          TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        test_fingerprint    TEXT,
        test_ok             INTEGER,
        test_at             INTEGER,
        test_summary        TEXT,
        signin_fingerprint  TEXT,
        signin_at           INTEGER,
        signin_email        TEXT,
        owner_password      INTEGER NOT NULL DEFAULT 0,
        owner_password_at   INTEGER,
        owner_password_by   TEXT
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
