import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/store/db';
import { BACKSTOP_PAGES, startCheckpointer } from '../../src/main/store/checkpointer';

const dirs: string[] = [];
const fresh = (): Store => {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-ckpt-'));
  dirs.push(dir);
  return openStore(dir);
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** ~2 MB in 40 commits: far below the main connection's backstop, far above one checkpoint's worth. */
const write = (store: Store) => {
  store.db.exec('CREATE TABLE IF NOT EXISTS blob_rows (b BLOB)');
  const ins = store.db.prepare('INSERT INTO blob_rows (b) VALUES (randomblob(50000))');
  for (let i = 0; i < 40; i++) ins.run();
};

describe('WAL checkpoints on a worker thread', () => {
  it('copies commits into the database file without the committing connection checkpointing', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    const before = statSync(store.file).size;
    write(store);
    // Only a checkpoint moves pages from the WAL into the main file; the main connection's own threshold
    // (4000 pages = 16 MB) is not reached by 2 MB, so the growth is the worker's doing.
    await expect.poll(() => statSync(store.file).size - before, { timeout: 15_000 }).toBeGreaterThan(1_500_000);
    ckpt.stop();
    store.close();
    expect(existsSync(`${store.file}-wal`)).toBe(false);
  });

  it('without the worker the same writes stay in the WAL (the test above can fail)', () => {
    const store = fresh();
    store.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const before = statSync(store.file).size;
    write(store);
    expect(statSync(store.file).size - before).toBeLessThan(100_000);
    store.close();
  });

  it('stop() is idempotent and the store stays usable until closed', () => {
    const store = fresh();
    const ckpt = startCheckpointer(store);
    ckpt.stop();
    ckpt.stop();
    write(store);
    store.close();
  });
});
