import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/db';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { listAccounts, getMembership } from '../../src/main/store/accounts';
import { findUserByEmail } from '../../src/main/store/users';
import { tempDir } from '../helpers';

/**
 * Every schema SSO Desk has shipped, as the migrations main held at each change of the list (read from
 * the git history of src/main/store/migrations.ts; numbers landed out of order across branches). A data
 * dir written by any of them must open with today's list, keep its rows and end at the latest schema.
 */
const RELEASED: number[][] = [
  [1, 2],
  [1, 2, 4],
  [1, 2, 4, 6],
  [1, 2, 4, 5, 6],
  [1, 2, 3, 4, 5, 6],
  [1, 2, 3, 4, 5, 6, 7],
  [1, 2, 3, 4, 5, 6, 7, 90],
  [1, 2, 3, 4, 5, 6, 7, 80, 90],
  [1, 2, 3, 4, 5, 6, 7, 10, 80, 90],
  [1, 2, 3, 4, 5, 6, 7, 10, 70, 80, 90],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 70, 80, 90],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90, 91],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90, 91, 92],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90, 91, 92, 93],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90, 91, 92, 93, 97],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90, 91, 92, 93, 94, 97],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90, 91, 92, 93, 94, 95, 97],
  [1, 2, 3, 4, 5, 6, 7, 10, 30, 50, 70, 80, 90, 91, 92, 93, 94, 95, 96, 97],
];

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('data dirs of every released schema still open', () => {
  it.each(RELEASED.map((versions) => [versions.join(' '), versions] as const))(
    'schema with migrations %s: opens, migrates to the latest, keeps its account, user and membership',
    (_name, versions) => {
      const t = tempDir();
      cleanups.push(t.cleanup);
      const old = openStore(
        t.dir,
        MIGRATIONS.filter((m) => versions.includes(m.version)),
      );
      // Rows in the columns migration 1 created: every later schema still has them.
      old.db
        .prepare(
          "INSERT INTO accounts (id, name, plan, packages, embeddable, created_at) VALUES ('acme', 'Acme Corp', 'enterprise', '[]', 0, 1)",
        )
        .run();
      const { lastInsertRowid } = old.db
        .prepare(
          "INSERT INTO users (email, name, external_id, password_hash, email_verified, created_at) VALUES ('ann@acme.test', 'Ann Lee', NULL, NULL, 1, 1)",
        )
        .run();
      old.db
        .prepare("INSERT INTO memberships (account_id, user_id, role) VALUES ('acme', ?, 'owner')")
        .run(lastInsertRowid);
      old.close();

      const store = openStore(t.dir);
      try {
        const applied = (
          store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{
            version: number;
          }>
        ).map((r) => r.version);
        expect(applied).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
        expect(listAccounts(store.db).map((a) => a.name)).toEqual(['Acme Corp']);
        const ann = findUserByEmail(store.db, 'ann@acme.test');
        expect(ann?.name).toBe('Ann Lee');
        expect(getMembership(store.db, 'acme', ann!.id)?.role).toBe('owner');
      } finally {
        store.close();
      }
    },
  );
});
