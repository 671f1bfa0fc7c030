import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/store/db';
import { BACKSTOP_PAGES, startCheckpoints } from '../../src/main/store/checkpoints';

const dirs: string[] = [];
const fresh = (): Store => {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-ckpt-'));
  dirs.push(dir);
  return openStore(dir);
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('WAL checkpoints on a worker thread', () => {
  it('copies the commits of the main connection back into the database file, which keeps only a backstop', async () => {
    const store = fresh();
    const ckpt = startCheckpoints(store, 5);
    try {
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
      store.db.exec('CREATE TABLE rows (b BLOB)');
      const insert = store.db.prepare('INSERT INTO rows (b) VALUES (randomblob(4000))');
      for (let i = 0; i < 50; i++) insert.run();
      // Far below the backstop: only the worker can have copied these frames back. A second, read-only
      // connection sees them in the database file once the WAL is checkpointed (a PASSIVE checkpoint from
      // here copies nothing new: log and checkpointed agree).
      await expect
        .poll(() => {
          const [r] = store.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
          return r!.log > 0 && r!.checkpointed === r!.log;
        })
        .toBe(true);
    } finally {
      ckpt.stop();
      store.close();
    }
  });

  it('only checkpoints: the worker writes nothing, shares no memory and keeps no lock', () => {
    // The rules of this file, checked on its source: the worker body runs PRAGMA wal_checkpoint(PASSIVE)
    // and nothing else that writes, and no SharedArrayBuffer or Atomics handshake comes back.
    const source = readFileSync(join(__dirname, '../../src/main/store/checkpoints.ts'), 'utf8');
    const pragmas = [...source.matchAll(/pragma\('([^']+)'\)/g)].map((m) => m[1]);
    expect(pragmas).toEqual(['busy_timeout = 0', 'wal_checkpoint(PASSIVE)']);
    expect(source).not.toMatch(/SharedArrayBuffer|Atomics|\.run\(|\.exec\(|prepare\(/);
    // The body reaches modules only through its parameter: a bundler renames a free `require` (it did:
    // `require2`, and the browser host died at start-up), never a parameter.
    expect(source).not.toMatch(/[^.\w]require\(/);
    // A failing worker is reported, never left as an unhandled 'error' event that ends the process.
    expect(source).toMatch(/worker\.on\('error'/);
  });
});
