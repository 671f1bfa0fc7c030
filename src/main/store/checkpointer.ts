import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Store } from './db';

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

/** The worker's source: plain CommonJS, so it runs the same under Node, tsx and Electron's bundle. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const flags = new Int32Array(workerData.flags);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const tick = () => {
  if (Atomics.load(flags, 0) === 1) {
    try { db.close(); } finally { Atomics.store(flags, 1, 1); Atomics.notify(flags, 1); }
    return;
  }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: try again on the next tick */ }
  setTimeout(tick, workerData.everyMs);
};
tick();
`;

/** Main-connection threshold (pages) while the worker checkpoints: only reached if the worker stalls. */
export const BACKSTOP_PAGES = 4000;
/** The threshold `openStore` sets (see db.ts). */
const DEFAULT_PAGES = 250;

export function startCheckpointer(store: Store, everyMs = 25): Checkpointer {
  // The driver is resolved here, where the bundler left `better-sqlite3` external, and handed to the
  // worker as a path: an eval'd worker resolves bare names from the working directory, not from here.
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const flags = new SharedArrayBuffer(8);
  const state = new Int32Array(flags);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: store.file, flags, everyMs } });
  worker.unref();
  worker.on('error', () => {
    // Without the worker, the main connection checkpoints as it did before, in small steps.
    Atomics.store(state, 1, 1);
    if (store.db.open) store.db.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
  });
  store.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      Atomics.store(state, 0, 1);
      // The worker closes its connection on its next tick; the main connection's close after this then
      // finds itself the last one and checkpoints and removes the WAL as usual.
      Atomics.wait(state, 1, 0, 1000);
      void worker.terminate();
    },
  };
}
