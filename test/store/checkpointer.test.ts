import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/store/db';
import { BACKSTOP_PAGES, batchTurn, endBatch, startCheckpointer } from '../../src/main/store/checkpointer';
import { groupCommit } from '../../src/main/store/group-commit';
import Database from 'better-sqlite3';
import { getSetting, putSetting } from '../../src/main/store/settings';

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

  /**
   * The WAL's last frame (mxFrame), read from the wal-index header in the -shm file (offset 16,
   * https://www.sqlite.org/walformat.html), as SQLite itself does.
   */
  const walIndex = (store: Store) => {
    const shm = openSync(`${store.file}-shm`, 'r');
    const header = Buffer.alloc(48);
    return {
      mxFrame: () => {
        readSync(shm, header, 0, 48, 0);
        return header.readUInt32LE(16);
      },
      close: () => closeSync(shm),
    };
  };

  /**
   * 16 writers committing small rows through the group commit without a pause, as the Platform API does
   * under load; returns the most frames the WAL held at any commit (see walIndex).
   */
  const stream = async (store: Store, writes: number): Promise<{ most: number; rewoundByMain: number }> => {
    store.db.exec('CREATE TABLE IF NOT EXISTS small_rows (b BLOB)');
    const ins = store.db.prepare('INSERT INTO small_rows (b) VALUES (randomblob(400))');
    const commit = groupCommit(store.db);
    const wal = walIndex(store);
    const mxFrame = wal.mxFrame;
    let n = 0;
    let most = 0;
    // Commits of the main connection that rewound the WAL: fewer frames after them than just before
    // their first write (read inside the batch's transaction; frames are written at commit). Every
    // writer of a batch sees the same pair, so pairs are counted once.
    const rewinds = new Set<string>();
    try {
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (n < writes) {
            n++;
            let before = -1;
            await commit.run(() => {
              before = mxFrame();
              ins.run();
            });
            const after = mxFrame();
            if (after < before) rewinds.add(`${before}->${after}`);
            most = Math.max(most, after);
          }
        }),
      );
    } finally {
      wal.close();
    }
    return { most, rewoundByMain: rewinds.size };
  };

  it('under a steady stream of commits the WAL starts over long before the backstop, rewound by the worker (restart windows)', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store);
    const { most, rewoundByMain } = await stream(store, 40_000);
    ckpt.stop();
    // Windows open at WINDOW_PAGES (or sooner, when a checkpoint catches up); without them the WAL grows
    // until the main connection's own checkpoint, syncs and all, stops the event loop at BACKSTOP_PAGES
    // (the control below).
    expect(most).toBeLessThan(BACKSTOP_PAGES);
    // The rewinds (and the sync of the new WAL header each one brings) were the worker's. (A window
    // gives up after 100 ms, so on a machine slowed down enough one could still fall to the main
    // connection; hence "nearly every one", against every one in the control below.)
    const byWorker = getSetting(store.db, 'store.wal_restarts', 0);
    expect(byWorker).toBeGreaterThanOrEqual(3);
    expect(rewoundByMain).toBeLessThanOrEqual(byWorker / 3);
    store.close();
  });

  it('with windows left to the main connection, its own commits rewind the WAL (the test above can fail)', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store, 25, 'main');
    const { most, rewoundByMain } = await stream(store, 40_000);
    ckpt.stop();
    const byWorker = getSetting(store.db, 'store.wal_restarts', 0);
    store.close();
    expect(most).toBeLessThan(BACKSTOP_PAGES);
    expect(byWorker).toBe(0);
    expect(rewoundByMain).toBeGreaterThanOrEqual(3);
  });

  it('without restart windows the same stream fills the WAL to the backstop (the tests above can fail)', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store, 1000, false);
    const { most } = await stream(store, 40_000);
    ckpt.stop();
    store.close();
    expect(most).toBeGreaterThanOrEqual(BACKSTOP_PAGES);
  });

  /** Asks for a background batch's turn until it is given (it is refused while the worker syncs). */
  const takeTurn = async (store: Store) => {
    for (let hold = batchTurn(store.db); hold; hold = batchTurn(store.db)) await hold;
  };

  it('holds its checkpoint while a background batch has its turn, and checkpoints once the batch ends', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store, 5);
    await takeTurn(store);
    const before = statSync(store.file).size;
    write(store);
    // Thirty of the worker's ticks, and nothing copied back: it waits for the batch (for up to a second).
    await new Promise((r) => setTimeout(r, 150));
    expect(statSync(store.file).size - before).toBeLessThan(100_000);
    endBatch(store.db);
    await expect.poll(() => statSync(store.file).size - before, { timeout: 15_000 }).toBeGreaterThan(1_500_000);
    ckpt.stop();
    store.close();
  });

  it('without batches stepping aside, it checkpoints in the middle of one (the test above can fail)', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store, 5, 'worker', false);
    expect(batchTurn(store.db)).toBeNull();
    const before = statSync(store.file).size;
    write(store);
    await expect.poll(() => statSync(store.file).size - before, { timeout: 15_000 }).toBeGreaterThan(1_500_000);
    ckpt.stop();
    store.close();
  });

  it('a batch that asks while the worker syncs is told to wait, and gets its turn once the sync is over', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store, 1);
    store.db.exec('CREATE TABLE IF NOT EXISTS blob_rows (b BLOB)');
    const ins = store.db.prepare('INSERT INTO blob_rows (b) VALUES (randomblob(50000))');
    // Keep the worker copying and syncing, and ask between writes until a turn is refused.
    let refused: Promise<void> | null = null;
    for (let i = 0; i < 20_000; i++) {
      ins.run();
      refused = batchTurn(store.db);
      if (refused) break;
      endBatch(store.db);
      await new Promise((r) => setImmediate(r));
    }
    expect(refused).toBeInstanceOf(Promise);
    await refused;
    await takeTurn(store);
    endBatch(store.db);
    ckpt.stop();
    expect(batchTurn(store.db)).toBeNull(); // stopped: nothing to step aside for
    store.close();
  });

  it('after a pause in which a checkpoint caught up, the next write waits for the worker to start the WAL over instead of doing it (and syncing the header) itself', async () => {
    const store = fresh();
    const ckpt = startCheckpointer(store, 5);
    store.db.exec('CREATE TABLE IF NOT EXISTS small_rows (b BLOB)');
    const ins = store.db.prepare('INSERT INTO small_rows (b) VALUES (randomblob(400))');
    const commit = groupCommit(store.db);
    for (let i = 0; i < 50; i++) await commit.run(() => ins.run());
    const size = statSync(store.file).size;
    // The worker copies the 50 commits back (the file grows), and then sees nothing left to copy.
    await expect.poll(() => statSync(store.file).size, { timeout: 15_000 }).toBeGreaterThan(size);
    await new Promise((r) => setTimeout(r, 50));
    const wal = walIndex(store);
    let before = -1;
    await commit.run(() => {
      before = wal.mxFrame();
      ins.run();
    });
    const after = wal.mxFrame();
    wal.close();
    // The WAL this write found held the worker's restart write (a page or two of settings), and the
    // write appended to it: it did not find 50-odd frames and start over itself.
    expect(getSetting(store.db, 'store.wal_restarts', 0)).toBeGreaterThanOrEqual(1);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(3);
    expect(after).toBeGreaterThan(before);
    ckpt.stop();
    store.close();
  });

  it("a transaction that read before another connection's commit still writes: transactions begin IMMEDIATE", () => {
    const store = fresh();
    // The worker's connection, played here synchronously at the worst moment: between a read and a write.
    const other = new Database(store.file);
    other.pragma('busy_timeout = 0');
    const otherWrites = () => {
      try {
        other.prepare("INSERT INTO settings (key, value) VALUES ('store.wal_restarts', '1')").run();
        return 'wrote';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    const readThenWrite = () => {
      store.db.prepare('SELECT count(*) FROM settings').get();
      const other = otherWrites();
      putSetting(store.db, 'test.key', 1);
      return other;
    };
    // As the app's code calls it: the other connection finds the write lock taken and waits its turn
    // (the worker skips that restart); our write goes through.
    expect(store.db.transaction(readThenWrite)()).toBe('SQLITE_BUSY');
    expect(getSetting(store.db, 'test.key', 0)).toBe(1);
    // The control: begun deferred, the same interleaving loses our write to SQLITE_BUSY_SNAPSHOT.
    expect(() => store.db.transaction(readThenWrite).deferred()).toThrow(
      expect.objectContaining({ code: 'SQLITE_BUSY_SNAPSHOT' }),
    );
    other.close();
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
