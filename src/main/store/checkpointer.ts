import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db, Store } from './db';
import { stmt } from './statements';

/**
 * WAL checkpoints off the event loop.
 *
 * In WAL mode with `synchronous = NORMAL` a commit appends to the WAL and does not sync; the sync (fsync
 * of the WAL, then of the database file) happens when a checkpoint copies the WAL back. SQLite's
 * automatic checkpoint runs on the connection that commits, so one request in every few dozen paid for
 * the fsyncs of all of them: a CPU profile of `POST /authorization/sso` at one client put more time in
 * `sqliteTransaction` than in everything else the request does, and the tail latency was the fsyncs.
 *
 * Here a worker thread with its own connection to the same file runs `PRAGMA wal_checkpoint(PASSIVE)`
 * every few tens of milliseconds. A passive checkpoint never takes the write lock, so commits on the main
 * connection go on while it copies and syncs; durability is what it was (the same syncs, on another
 * thread). The main connection keeps an automatic checkpoint at a much larger threshold, as a backstop
 * should the worker ever fall behind.
 *
 * Every 25 ms rather than every 5: each checkpoint that finds new frames syncs the WAL and the database
 * file, and on this VM those syncs slow the main thread's WAL appends while they run. Five times fewer
 * syncs gave one client 0.92× → 1.00–1.18× of the peer in bench/tokens (2026-11-26, load average ~1).
 */
export interface Checkpointer {
  /** Stops the worker and waits (at most a second) until its connection is closed. */
  stop(): void;
}

// The shared flags between the main thread and the worker (Int32Array slots).
const STOP = 0; // main → worker: close and exit
const CLOSED = 1; // worker → main: the connection is closed
const WAL_FRAMES = 2; // worker → main: frames in the WAL at the last checkpoint
const WINDOW_ASKED = 3; // main → worker: writes are held, checkpoint now
const WINDOW_DONE = 4; // worker → main: generation of the last window's checkpoint
const SYNCING = 5; // worker → main: a checkpoint (and its syncs) is running or about to
const BATCH = 6; // main → worker: a background batch is running
const CAUGHT_UP = 7; // worker → main: the last checkpoint copied every frame back
const SLOTS = 8;

/**
 * The worker's source: plain CommonJS, so it runs the same under Node, tsx and Electron's bundle. It
 * sleeps on the WINDOW_ASKED slot, so a window's checkpoint starts at once rather than on the next tick.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const flags = new Int32Array(workerData.flags);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let restart;
for (;;) {
  if (Atomics.load(flags, ${STOP}) === 1) {
    try { db.close(); } finally { Atomics.store(flags, ${CLOSED}, 1); Atomics.notify(flags, ${CLOSED}); }
    break;
  }
  // 0: no window; 1: a window because the WAL is long; 2: because the last checkpoint caught up.
  const asked = Atomics.load(flags, ${WINDOW_ASKED});
  if (asked === 2 && workerData.restart) {
    // Nothing to copy back, so no checkpoint (and none of its syncs) while the writes are held: the
    // restart write alone. Should a write have come since all the same, it only appends a frame.
    try {
      restart ??= db.prepare(workerData.restart);
      restart.run();
    } catch { /* busy or closing: the next write starts the WAL over itself */ }
  } else {
    // Claim the turn first, then wait for a background batch already running to end (see batchTurn):
    // the main thread checks SYNCING after raising BATCH, this thread BATCH after raising SYNCING, so
    // one of the two always sees the other. A batch is a fraction of a millisecond; the limit of about a
    // second is only a backstop (a batch always ends its turn, even when it throws).
    Atomics.store(flags, ${SYNCING}, 1);
    for (let waited = 0; Atomics.load(flags, ${BATCH}) === 1 && waited < 1000; waited++) Atomics.wait(flags, ${BATCH}, 1, 1);
    try {
      const written = db.pragma('data_version', { simple: true });
      const [r] = db.pragma('wal_checkpoint(PASSIVE)');
      if (r) Atomics.store(flags, ${WAL_FRAMES}, r.log);
      const caughtUp = r && r.busy === 0 && r.log > 0 && r.checkpointed === r.log;
      // In a window, with every frame copied back: one small write from here starts the WAL over, and
      // the sync of the new WAL header that comes with it happens on this thread, not in a commit of
      // the main one (see RESTART_SQL).
      if (asked && workerData.restart && caughtUp) {
        restart ??= db.prepare(workerData.restart);
        restart.run();
      }
      // Every frame copied back and nothing written meanwhile (data_version tells another connection's
      // commits): the next write would start the WAL over itself. See walWindow.
      const still = caughtUp && db.pragma('data_version', { simple: true }) === written;
      Atomics.store(flags, ${CAUGHT_UP}, workerData.restart && !asked && still ? 1 : 0);
    } catch { /* busy or closing: try again on the next tick */ }
    Atomics.store(flags, ${SYNCING}, 0);
    Atomics.notify(flags, ${SYNCING});
  }
  if (asked) {
    Atomics.store(flags, ${WINDOW_ASKED}, 0);
    Atomics.add(flags, ${WINDOW_DONE}, 1);
    Atomics.notify(flags, ${WINDOW_DONE});
  }
  Atomics.wait(flags, ${WINDOW_ASKED}, 0, workerData.everyMs);
}
`;

/**
 * The write with which the worker starts the WAL over in a window: one frame, a counter in `settings`.
 *
 * The first commit after a fully copied-back WAL rewinds it and writes a new WAL header, and SQLite
 * syncs that header before going on (wal.c, `syncHeader`; it cannot be switched off short of
 * `synchronous = OFF`). When that commit was the main thread's, the fsync stopped the event loop for
 * 1–1.5 ms: bench/growth traced most prune batches over a millisecond to the one commit that rewound
 * the WAL (frames 2,000 → 8). Done here, the main thread's next commit just appends.
 */
const RESTART_KEY = 'store.wal_restarts';
const RESTART_SQL = `INSERT INTO settings (key, value) VALUES ('${RESTART_KEY}', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`;

/** Main-connection threshold (pages) while the worker checkpoints: only reached if the worker stalls. */
export const BACKSTOP_PAGES = 4000;
/** WAL frames after which the next write waits for a restart window (see `walWindow`). */
export const WINDOW_PAGES = 2000;
/** A window never holds writes longer than this, whatever the worker does. */
const WINDOW_TIMEOUT_MS = 100;
/** The threshold `openStore` sets (see db.ts). */
const DEFAULT_PAGES = 250;

const windows = new WeakMap<Db, () => Promise<void> | null>();
const turns = new WeakMap<Db, { claim(): Promise<void> | null; end(): void }>();
/** How long a batch waits for the checkpointer's syncs before it asks again. */
const SYNC_WAIT_MS = 100;

// Atomics.waitAsync is in Node 20's V8 (and Electron's); TypeScript declares it from lib ES2024 only.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

/**
 * Whether writes should wait for a WAL restart window first: a promise to await, or null (almost
 * always) to write at once.
 *
 * The WAL only starts over from its beginning when a write finds every frame copied back into the
 * database file, and under a steady stream of commits that never happens: the worker's checkpoint takes a
 * few milliseconds (two syncs) and frames keep arriving meanwhile. The WAL then grew to the backstop, and
 * the main connection's own checkpoint ran inside some commit, syncs and all: 5–20 ms with the event
 * loop stopped, once every 4,000 pages (bench/growth: the prune batches "over 1 ms" were all these). Now,
 * once the worker has seen `WINDOW_PAGES` frames, the writers that ask here hold their writes (the
 * group commit, the pruner, the audit mover; requests wait, the event loop does not) while the worker
 * checkpoints with nothing arriving and then starts the WAL over with a write of its own (RESTART_SQL).
 *
 * The same when the worker's last checkpoint copied every frame back (the writes had paused for as long
 * as a checkpoint takes): the next write would start the WAL over itself and sync the new header on this
 * thread, 1–3 ms with the event loop stopped. bench/growth traced the prune batches over 1 ms that waited
 * "three times in a system call" to that fsync (its three waits: the data, the inode, the device flush):
 * the first batch of a pass, the first write after a pause. A window holds that first write instead, for
 * as long as the worker takes to start the WAL over; the event loop goes on.
 */
export function walWindow(db: Db): Promise<void> | null {
  return windows.get(db)?.() ?? null;
}

/**
 * A turn for one background batch (the pruner's) outside the checkpointer's syncs: null when the batch
 * may run now, and then `endBatch` must follow it; or a promise to await before asking again.
 *
 * While the worker's checkpoint syncs the WAL and the database file, a WAL append on the main thread
 * can wait in the kernel for blocks the sync is writing out (perf: `pwrite` asleep in
 * `ext4_block_write_begin`, and on the inode's block map in `ext4_da_get_block_prep`): bench/growth found
 * prune batches that "waited in a system call" there, among the longest of a run (2–28 ms, 1,000,000
 * tokens). A request has to write when it comes; a background batch does not, so it steps aside: the
 * worker raises SYNCING before it checkpoints and waits for a batch already running to end, and a batch
 * that finds SYNCING raised waits (asynchronously: requests go on) until the checkpoint is over.
 */
export function batchTurn(db: Db): Promise<void> | null {
  return turns.get(db)?.claim() ?? null;
}

/** Ends the batch a `batchTurn` of null let run. */
export function endBatch(db: Db): void {
  turns.get(db)?.end();
}

/**
 * `restartWindows`: 'worker' (the app's) holds writes for a window and the worker starts the WAL over;
 * 'main' leaves that to the main connection's next commit, and false opens no windows (both only for
 * tests and benchmarks that show the difference).
 */
export function startCheckpointer(
  store: Store,
  everyMs = 25,
  restartWindows: 'worker' | 'main' | false = 'worker',
  /** Whether background batches step aside while the worker syncs (see `batchTurn`); false only to show the difference. */
  batchesStepAside = true,
): Checkpointer {
  // The driver is resolved here, where the bundler left `better-sqlite3` external, and handed to the
  // worker as a path: an eval'd worker resolves bare names from the working directory, not from here.
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const flags = new SharedArrayBuffer(SLOTS * 4);
  const state = new Int32Array(flags);
  const restart = restartWindows === 'worker' ? RESTART_SQL : null;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, file: store.file, flags, everyMs, restart },
  });
  worker.unref();
  worker.on('error', () => {
    // Without the worker, the main connection checkpoints as it did before, in small steps.
    Atomics.store(state, CLOSED, 1);
    windows.delete(store.db);
    turns.delete(store.db);
    if (store.db.open) store.db.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
  });
  store.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);

  let open: Promise<void> | null = null;
  if (restartWindows !== false)
    windows.set(store.db, () => {
      if (open) return open;
      const long = Atomics.load(state, WAL_FRAMES) >= WINDOW_PAGES;
      if ((!long && Atomics.load(state, CAUGHT_UP) === 0) || Atomics.load(state, CLOSED) === 1) return null;
      const generation = Atomics.load(state, WINDOW_DONE);
      Atomics.store(state, WAL_FRAMES, 0); // until the worker measures again
      Atomics.store(state, CAUGHT_UP, 0);
      Atomics.store(state, WINDOW_ASKED, long ? 1 : 2);
      Atomics.notify(state, WINDOW_ASKED);
      const waited = waitAsync(state, WINDOW_DONE, generation, WINDOW_TIMEOUT_MS);
      // A pending waitAsync does not keep Node's event loop alive; writes waiting on it must.
      const alive = setTimeout(() => {}, WINDOW_TIMEOUT_MS + 10);
      open = Promise.resolve(waited.value).then(() => {
        clearTimeout(alive);
        // The first read after another connection's write empties this connection's page cache (SQLite's
        // pager_reset), and freeing the cache's pages costs time in proportion to how many there are:
        // 0.2 ms at 2 MB, 0.6 ms (up to 1.4) at better-sqlite3's default 16 MB, against 0.02 ms for a read
        // that finds the cache intact. After a window whose worker wrote the restart frame, that read was
        // whatever came first: most often a prune batch, whose 0.25 ms then took over a millisecond. It
        // is done here instead, while the writes are still held, so the window carries its own cost.
        try {
          if (store.db.open) stmt(store.db, `SELECT value FROM settings WHERE key = '${RESTART_KEY}'`).get();
        } catch {
          /* the next statement takes the reset instead */
        }
        // The WAL has started over (or, if the worker could not, starts over at the next write, which
        // must go through): forget the window's own measurement until the worker measures again.
        Atomics.store(state, WAL_FRAMES, 0);
        Atomics.store(state, CAUGHT_UP, 0);
        open = null;
      });
      return open;
    });

  if (batchesStepAside)
    turns.set(store.db, {
      claim() {
        // Raise BATCH, then look at SYNCING (the worker does the reverse; see WORKER_SOURCE).
        Atomics.store(state, BATCH, 1);
        if (Atomics.load(state, SYNCING) === 0 || Atomics.load(state, CLOSED) === 1) return null;
        Atomics.store(state, BATCH, 0);
        Atomics.notify(state, BATCH);
        const waited = waitAsync(state, SYNCING, 1, SYNC_WAIT_MS);
        const alive = setTimeout(() => {}, SYNC_WAIT_MS + 10);
        return Promise.resolve(waited.value).then(() => clearTimeout(alive));
      },
      end() {
        Atomics.store(state, BATCH, 0);
        Atomics.notify(state, BATCH);
      },
    });

  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      windows.delete(store.db);
      turns.delete(store.db);
      Atomics.store(state, BATCH, 0);
      Atomics.store(state, STOP, 1);
      Atomics.notify(state, WINDOW_ASKED);
      // The worker closes its connection at once; the main connection's close after this then finds
      // itself the last one and checkpoints and removes the WAL as usual.
      Atomics.wait(state, CLOSED, 0, 1000);
      void worker.terminate();
    },
  };
}
