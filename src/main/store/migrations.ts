/**
 * Numbered, append-only migrations, in one ascending list. Never edit one that has shipped: add the next number
 * at the end (a test checks the order).
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
    version: 10,
    name: 'OIDC: redirect port, client authentication, the claim that identifies the user',
    sql: `
      -- redirect_port NULL = any loopback port (RFC 8252 §7.3); else the one port the listener binds.
      ALTER TABLE sso_oidc ADD COLUMN redirect_port INTEGER CHECK (redirect_port IS NULL OR redirect_port BETWEEN 1024 AND 65535);
      -- 'auto' picks from the IdP's token_endpoint_auth_methods_supported at sign-in.
      ALTER TABLE sso_oidc ADD COLUMN client_auth TEXT NOT NULL DEFAULT 'auto'
        CHECK (client_auth IN ('auto','client_secret_basic','client_secret_post','none','private_key_jwt'));
      ALTER TABLE sso_oidc ADD COLUMN user_claim TEXT NOT NULL DEFAULT 'email';
      -- private_key_jwt (RFC 7523): the private key as SecretBox ciphertext of its PKCS#8 PEM; the public JWKS in clear.
      ALTER TABLE sso_oidc ADD COLUMN client_key_enc TEXT;
      ALTER TABLE sso_oidc ADD COLUMN client_jwks TEXT;
    `,
  },
  {
    version: 30,
    name: 'pass-through headers the admin marked secret',
    sql: `
      -- A JSON array of header names whose values are masked wherever the password is (trace, audit, HAR, curl).
      ALTER TABLE sso_passthrough ADD COLUMN secret_headers TEXT NOT NULL DEFAULT '[]';
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
  {
    version: 70,
    name: 'key grace periods, key last use, audit actor filter and simulator run links',
    sql: `
      -- A replaced key keeps working until grace_until (revoked_at says when it was replaced); NULL: cut at once.
      ALTER TABLE api_keys ADD COLUMN grace_until INTEGER;
      -- When a key last authorized a request, written at most once a minute per key.
      ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
      -- Audit: filter by who acted (support's Simulator runs vs customers' logins), and the events a run caused.
      CREATE INDEX audit_actor ON audit_events(actor, id);
      ALTER TABLE audit_events ADD COLUMN run_id TEXT;
      CREATE INDEX audit_run ON audit_events(run_id) WHERE run_id IS NOT NULL;
    `,
  },
  {
    version: 80,
    name: 'SCIM provisioning: per-account token, provisioned users and groups, group-to-team mappings',
    sql: `
      -- One bearer token per account, kept only as its SHA-256; last4 lets the console tell tokens apart.
      CREATE TABLE scim_config (
        account_id        TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        enabled           INTEGER NOT NULL DEFAULT 0,
        token_hash        TEXT UNIQUE,
        token_last4       TEXT,
        token_created_at  INTEGER,
        updated_at        INTEGER NOT NULL
      );
      -- The SCIM side of a membership: the resource as the IdP sent it (core + enterprise + unknown
      -- attributes, without id/meta), keyed by (account, user). seq gives list pages a stable order.
      CREATE TABLE scim_users (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_name    TEXT NOT NULL COLLATE NOCASE,
        external_id  TEXT,
        resource     TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        UNIQUE (account_id, user_name),
        UNIQUE (account_id, user_id)
      );
      CREATE INDEX scim_users_external ON scim_users(account_id, external_id);
      -- (account_id, seq): a deep page (startIndex=90001) skips entries of this index, not rows.
      CREATE INDEX scim_users_account ON scim_users(account_id);
      CREATE TABLE scim_groups (
        seq           INTEGER PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        display_name  TEXT NOT NULL COLLATE NOCASE,
        external_id   TEXT,
        resource      TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        UNIQUE (account_id, display_name)
      );
      CREATE TABLE scim_group_members (
        group_seq  INTEGER NOT NULL REFERENCES scim_groups(seq) ON DELETE CASCADE,
        user_seq   INTEGER NOT NULL REFERENCES scim_users(seq) ON DELETE CASCADE,
        PRIMARY KEY (group_seq, user_seq)
      ) WITHOUT ROWID;
      CREATE INDEX scim_group_members_user ON scim_group_members(user_seq);
      -- "Members of this group are on this bot's team at this level", by group name (case-insensitive),
      -- so that an admin can map a group before the IdP pushes it; a rename carries the mapping along.
      CREATE TABLE scim_group_teams (
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        group_name  TEXT NOT NULL COLLATE NOCASE,
        bot_id      TEXT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
        level       TEXT NOT NULL CHECK (level IN ('admin','editor','operator','viewer')),
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, group_name, bot_id)
      );
      -- The bot_team rows that provisioning made (and may change or remove); rows an admin made stay theirs.
      CREATE TABLE scim_team_grants (
        bot_id   TEXT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (bot_id, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 90,
    name: 'one time index on the audit log',
    sql: `
      -- audit_at (at DESC, id DESC) and audit_time (at) answer the same seeks (a time range becomes an id
      -- range; retention deletes the oldest first): keeping both cost every audited request one more index
      -- page to write (bench/tokens.bench.ts). Pages are keyset-paged by id, which needs neither.
      DROP INDEX IF EXISTS audit_at;
    `,
  },
  {
    version: 91,
    name: 'audit events land in an unindexed inbox and move into the indexed log in batches',
    sql: `
      -- Every audited request (each token issuance, each login) wrote its event through five secondary
      -- indexes in its own commit: five more pages per commit, the largest part of a token request's cost
      -- (bench/tokens.bench.ts). Events now land in audit_inbox (no index but its id) inside the caller's
      -- transaction, so an event is as durable as the token it records; flushAuditInbox (store/audit.ts)
      -- moves them into audit_log in batches, and every reader moves what is pending first.
      ALTER TABLE audit_events RENAME TO audit_log;
      CREATE TABLE audit_inbox (
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
        detail       TEXT,
        run_id       TEXT
      );
      -- The whole log, moved or not: the full-text index's external content and any ad-hoc reader.
      CREATE VIEW audit_events AS SELECT * FROM audit_log UNION ALL SELECT * FROM audit_inbox;
    `,
  },
  {
    version: 92,
    name: "the audit log's latest event of a kind per account in one seek",
    sql: `
      -- Home shows each account's last SCIM request (lastAuditOf): without this index the newest-first
      -- walk of the account's events would read every token issuance of an account that never provisioned.
      -- Maintained by the audit mover (migration 91), not by the requests.
      CREATE INDEX audit_kind ON audit_log(kind, account_id, id);
    `,
  },
  {
    version: 93,
    name: 'split tokens: a Platform API token names its row; no index on random hashes',
    sql: `
      -- A token was found by the SHA-256 of the whole token, through the UNIQUE index on hash: random keys,
      -- so every issuance and every prune delete wrote one more page, at a random place (bench/tokens,
      -- bench/growth). New tokens (format 2) carry their row id, sealed (engine/tokens/split-token.ts),
      -- and hash is the SHA-256 of their random part: a primary-key seek, appends at the end, contiguous
      -- prunes. Tokens issued before (format 1) stay findable by hash through a partial index of only them.
      -- SQLite cannot drop a UNIQUE constraint, so the table is rebuilt. Foreign keys are on during
      -- migrations, and dropping a parent deletes its children: sso_sessions is set aside and rebuilt too.
      CREATE TABLE sso_tokens_next (
        id          INTEGER PRIMARY KEY,
        hash        TEXT NOT NULL,
        format      INTEGER NOT NULL DEFAULT 2 CHECK (format IN (1, 2)),
        scope       TEXT NOT NULL CHECK (scope IN ('sso','integration')),
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        bot_id      TEXT REFERENCES bots(id) ON DELETE CASCADE,
        user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
        issued_at   INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      );
      INSERT INTO sso_tokens_next (id, hash, format, scope, account_id, bot_id, user_id, issued_at, expires_at, revoked_at)
        SELECT id, hash, 1, scope, account_id, bot_id, user_id, issued_at, expires_at, revoked_at FROM sso_tokens;
      CREATE TEMP TABLE sso_sessions_kept AS SELECT id, hash, token_id, created_at, expires_at, ended_at FROM sso_sessions;
      DROP TABLE sso_sessions;
      DROP TABLE sso_tokens;
      ALTER TABLE sso_tokens_next RENAME TO sso_tokens;
      CREATE INDEX sso_tokens_legacy_hash ON sso_tokens(hash) WHERE format = 1;
      CREATE TABLE sso_sessions (
        id          INTEGER PRIMARY KEY,
        hash        TEXT NOT NULL UNIQUE,
        token_id    INTEGER NOT NULL REFERENCES sso_tokens(id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        ended_at    INTEGER
      );
      INSERT INTO sso_sessions (id, hash, token_id, created_at, expires_at, ended_at) SELECT * FROM temp.sso_sessions_kept;
      DROP TABLE temp.sso_sessions_kept;
      CREATE INDEX sso_sessions_token ON sso_sessions(token_id);
      -- The key that seals row ids into selectors: random per data dir, never shown.
      INSERT OR IGNORE INTO settings (key, value) VALUES ('tokens.selector_key', '"' || lower(hex(randomblob(16))) || '"');
    `,
  },
  {
    version: 94,
    name: 'SAML 2.0 SSO per account, and the assertion IDs already used',
    sql: `
      -- The second SSO protocol (docs/saml-sso.md). IdP certificates are public (JSON array of PEM);
      -- the SP private key is SecretBox ciphertext, its certificate public. The switch-on evidence and the
      -- owner break-glass stay in sso_enforcement: one account, one policy, whichever protocol.
      CREATE TABLE sso_saml (
        account_id           TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        enabled              INTEGER NOT NULL DEFAULT 0,
        preset               TEXT NOT NULL DEFAULT 'generic',
        idp_entity_id        TEXT NOT NULL DEFAULT '',
        idp_sso_url          TEXT NOT NULL DEFAULT '',
        idp_certs            TEXT NOT NULL DEFAULT '[]',
        idp_metadata_xml     TEXT,
        acs_port             INTEGER NOT NULL CHECK (acs_port BETWEEN 1024 AND 65535),
        name_id_format       TEXT NOT NULL,
        user_attribute       TEXT NOT NULL DEFAULT 'nameid',
        allow_idp_initiated  INTEGER NOT NULL DEFAULT 0,
        clock_skew_seconds   INTEGER NOT NULL DEFAULT 120,
        allow_sha1           INTEGER NOT NULL DEFAULT 0,
        sp_key_enc           TEXT,
        sp_cert              TEXT,
        enabled_at           INTEGER,
        enabled_by           TEXT,
        updated_at           INTEGER NOT NULL
      );
      -- Replay cache: an assertion ID is accepted once per account until its NotOnOrAfter (+ skew).
      CREATE TABLE saml_assertions_seen (
        account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        assertion_id  TEXT NOT NULL,
        expires_at    INTEGER NOT NULL,
        PRIMARY KEY (account_id, assertion_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 95,
    name: 'the last working SSO configuration of an account (Revert to last working); staged enforcement',
    sql: `
      -- While SSO is on, an edit is saved only once tested; the configuration it replaced (the one users
      -- were signing in with) is kept here, so "Revert to last working" restores it in one step. The row
      -- is a JSON copy of sso_oidc's: its client secret and key stay SecretBox ciphertext, never clear.
      CREATE TABLE sso_last_working (
        account_id  TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        config      TEXT NOT NULL,
        kept_at     INTEGER NOT NULL,
        kept_by     TEXT NOT NULL
      );
      -- Staged enforcement: while SSO is on, whom it is required for first. NULL = everyone; else JSON
      -- {"roles": [...], "group": "<SCIM group display name>" | null}: members with one of the roles or
      -- in the group need SSO, the others keep their password until the stage is widened to everyone.
      ALTER TABLE sso_enforcement ADD COLUMN stage TEXT;
    `,
  },
  {
    version: 96,
    name: 'sign-in logs: partial indexes over the sign-in events of the audit log',
    sql: `
      -- Sign-in logs are read from the audit log, not written twice (a token request stays one unindexed
      -- inbox row). These indexes cover only sign-in events (store/signin-log.ts, SIGNIN_KINDS), so the
      -- token issuances that make up most of the log cost them nothing, and the audit mover (migration 91)
      -- maintains them, not the requests. Each set of filters (user; account, method and result, alone or
      -- together) has an index that ends in id, so a page newest first reads about a page of entries even
      -- when the filters together match nothing (bench/signin-log.bench.ts).
      CREATE INDEX signin_log ON audit_log(id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_e ON audit_log(email, id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_a ON audit_log(account_id, id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_m ON audit_log(method, id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_r ON audit_log((outcome IN ('ok', 'authenticated')), id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_am ON audit_log(account_id, method, id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_ar ON audit_log(account_id, (outcome IN ('ok', 'authenticated')), id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_mr ON audit_log(method, (outcome IN ('ok', 'authenticated')), id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
      CREATE INDEX signin_log_amr ON audit_log(account_id, method, (outcome IN ('ok', 'authenticated')), id)
        WHERE kind IN ('auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem');
    `,
  },
  {
    version: 97,
    name: 'a passing Test connection that could not confirm the client says why',
    sql: `
      -- Some IdPs show their login page to any client and check it only after the password (issue 26 §2):
      -- such a test passes, but switching SSO on then needs a test sign-in. NULL = the client was confirmed
      -- (or not checked), as for every test recorded before.
      ALTER TABLE sso_enforcement ADD COLUMN test_unconfirmed TEXT;
    `,
  },
  {
    version: 98,
    name: 'the SCIM enterprise extension as columns of scim_users',
    sql: `
      -- What the IdP sends in urn:…:enterprise:2.0:User (RFC 7643 §4.3), read from the kept resource: the
      -- resource stays the one truth (a PATCH rewrites it), and the columns can never disagree with it.
      ALTER TABLE scim_users ADD COLUMN department TEXT GENERATED ALWAYS AS
        (json_extract(resource, '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".department')) VIRTUAL;
      ALTER TABLE scim_users ADD COLUMN employee_number TEXT GENERATED ALWAYS AS
        (json_extract(resource, '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".employeeNumber')) VIRTUAL;
      ALTER TABLE scim_users ADD COLUMN cost_center TEXT GENERATED ALWAYS AS
        (json_extract(resource, '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".costCenter')) VIRTUAL;
      ALTER TABLE scim_users ADD COLUMN organization TEXT GENERATED ALWAYS AS
        (json_extract(resource, '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".organization')) VIRTUAL;
      ALTER TABLE scim_users ADD COLUMN division TEXT GENERATED ALWAYS AS
        (json_extract(resource, '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".division')) VIRTUAL;
      ALTER TABLE scim_users ADD COLUMN manager_id TEXT GENERATED ALWAYS AS
        (json_extract(resource, '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".manager.value')) VIRTUAL;
      CREATE INDEX scim_users_manager ON scim_users(account_id, manager_id) WHERE manager_id IS NOT NULL;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
