import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, DATABASE_FILE, LATEST_SCHEMA_VERSION } from '../../src/main/store/db';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { DeskError } from '../../src/shared/errors';
import { tempDir } from '../helpers';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

describe('openStore', () => {
  it('creates the schema in WAL mode with foreign keys on and records each migration', () => {
    const d = dir();
    const store = openStore(d);
    try {
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      const applied = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{
        version: number;
      }>;
      // Versions are assigned per issue and land in any order: gaps are fine, duplicates are not.
      const versions = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);
      expect(applied.map((r) => r.version)).toEqual(versions);
      expect(new Set(versions).size).toBe(versions.length);
      const tables = (
        store.db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as Array<{ name: string }>
      ).map((r) => r.name);
      for (const t of ['accounts', 'users', 'memberships', 'bots', 'bot_team', 'api_keys', 'audit_log', 'audit_inbox'])
        expect(tables).toContain(t);
      // Foreign keys are enforced, not just declared.
      expect(() =>
        store.db.prepare("INSERT INTO memberships (account_id, user_id, role) VALUES ('nope', 1, 'owner')").run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      store.close();
    }
  });

  it('lists the migrations in one ascending order, so the file reads as the schema grew', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('is idempotent: reopening applies nothing twice', () => {
    const d = dir();
    openStore(d).close();
    const again = openStore(d);
    const n = (again.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
    again.close();
    expect(n).toBe(MIGRATIONS.length);
  });

  it('applies a migration that landed late with a lower number than one already applied', () => {
    const d = dir();
    const early = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 6, name: 'six', sql: 'CREATE TABLE f (x INTEGER);' },
    ];
    openStore(d, early).close();
    const late = openStore(d, [...early, { version: 3, name: 'three', sql: 'CREATE TABLE c (x INTEGER);' }]);
    const tables = (
      late.db
        .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name IN ('a','c','f') ORDER BY name")
        .all() as Array<{ name: string }>
    ).map((r) => r.name);
    late.close();
    expect(tables).toEqual(['a', 'c', 'f']);
  });

  it('runs the migrations in one transaction: a failing one leaves the database as it was', () => {
    const d = dir();
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL;' },
    ];
    expect(() => openStore(d, broken)).toThrow(DeskError);
    const raw = new Database(join(d, DATABASE_FILE));
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type='table'").all();
    const version = raw.pragma('user_version', { simple: true });
    raw.close();
    expect(tables).toEqual([]);
    expect(version).toBe(0);
  });

  it('refuses a database written by a newer version, with a clear message, and leaves it untouched', () => {
    const d = dir();
    mkdirSync(d, { recursive: true });
    const file = join(d, DATABASE_FILE);
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER)');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
    raw.close();
    const before = readFileSync(file);
    let error: DeskError | undefined;
    try {
      openStore(d);
    } catch (e) {
      error = e as DeskError;
    }
    expect(error?.code).toBe('store_newer');
    expect(error?.message).toContain('newer SSO Desk');
    expect(error?.message).toContain(`schema ${LATEST_SCHEMA_VERSION + 7}`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('says which data dir cannot be written', () => {
    const d = dir();
    chmodSync(d, 0o500);
    const locked = join(d, 'inner');
    try {
      if (process.getuid?.() === 0) {
        // root ignores permissions: use a path under a file instead.
        const blocker = join(d, 'file');
        chmodSync(d, 0o700);
        writeFileSync(blocker, 'x');
        expect(() => openStore(join(blocker, 'data'))).toThrow(/cannot open the database in .*file\/data/);
      } else {
        expect(() => openStore(locked)).toThrow(/cannot open the database in .*inner/);
      }
    } finally {
      chmodSync(d, 0o700);
    }
    expect(statSync(d).isDirectory()).toBe(true);
  });
});
