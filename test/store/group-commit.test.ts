import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/store/db';
import { groupCommit } from '../../src/main/store/group-commit';

let store: Store | undefined;
let dir = '';
afterEach(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});
const fresh = (): Store => {
  dir = mkdtempSync(join(tmpdir(), 'sso-desk-gc-'));
  store = openStore(dir);
  store.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)');
  return store;
};
const texts = (s: Store) =>
  (s.db.prepare('SELECT text FROM notes ORDER BY id').all() as Array<{ text: string }>).map((r) => r.text);

describe('group commit', () => {
  it('commits the writes of one turn of the event loop together and answers each after the commit', async () => {
    const s = fresh();
    const commit = groupCommit(s.db);
    const ins = s.db.prepare('INSERT INTO notes (text) VALUES (?)');
    const changes: number[] = [];
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((t) =>
        commit.run(() => {
          changes.push(s.db.inTransaction ? 1 : 0);
          return Number(ins.run(t).lastInsertRowid);
        }),
      ),
    );
    expect(answers).toEqual([1, 2, 3]);
    expect(changes).toEqual([1, 1, 1]); // every write ran inside the batch's transaction
    expect(texts(s)).toEqual(['a', 'b', 'c']);
    expect(s.db.inTransaction).toBe(false);
  });

  it('a failing write is undone alone (its savepoint) and rejects alone; the others of its batch commit', async () => {
    const s = fresh();
    const commit = groupCommit(s.db);
    const ins = s.db.prepare('INSERT INTO notes (text) VALUES (?)');
    const results = await Promise.allSettled([
      commit.run(() => ins.run('first')),
      commit.run(() => {
        ins.run('half-done'); // written, then the same write fails: both must go
        ins.run('first'); // UNIQUE violation
      }),
      commit.run(() => ins.run('third')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(texts(s)).toEqual(['first', 'third']);
  });

  it('a batch of one that fails leaves nothing behind', async () => {
    const s = fresh();
    const commit = groupCommit(s.db);
    const ins = s.db.prepare('INSERT INTO notes (text) VALUES (?)');
    await commit.run(() => ins.run('kept'));
    await expect(
      commit.run(() => {
        ins.run('gone');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(texts(s)).toEqual(['kept']);
  });
});
