import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Store } from './db';

/**
 * WAL checkpoints on a worker thread: the one piece of background machinery the store keeps.
 *
 * In WAL mode with `synchronous = NORMAL` a commit appends to the WAL and does not sync; the syncs (of
 * the WAL, then of the database file) happen when a checkpoint copies the WAL back. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, so one request in every few dozen paid
 * for everyone's fsyncs with the event loop stopped: bench/tokens at one client had a p99 of 3.1 ms
 * against the peer's 1.8 ms that way (2026-12-05). Here a worker thread with its own connection runs
 * `PRAGMA wal_checkpoint(PASSIVE)` every `everyMs`. A passive checkpoint never takes the write lock and
 * writes no transaction, so the main connection's commits go on beside it and need nothing from it;
 * durability is unchanged (the same syncs, on another thread). The main connection's automatic checkpoint
 * stays on at `BACKSTOP_PAGES`, should the worker ever fall behind.
 *
 * Rules (test/store/checkpoints.test.ts): the worker only checkpoints — no writes, no shared memory, no
 * handshakes; it never keeps the process alive; stopping it is a message.
 */
export interface Checkpoints {
  stop(): void;
}

/** The main connection's automatic checkpoint threshold while the worker runs (pages). */
export const BACKSTOP_PAGES = 4000;

/**
 * The worker's body. It is sent to the worker as source text (`String(fn)`) and called there with the
 * worker's own CommonJS `require`, so it reads nothing from this module's scope (a bundler renames free
 * identifiers such as `require`; a parameter it cannot). That keeps it one typed, linted function that
 * runs the same under Node, tsx, vitest and Electron's bundle, with no separate file to ship.
 */
function checkpointWorker(load: NodeJS.Require): void {
  const { workerData, parentPort } = load('node:worker_threads') as typeof import('node:worker_threads');
  const Database = load(workerData.driver as string) as typeof import('better-sqlite3');
  const db = new Database(workerData.file as string, { fileMustExist: true });
  // Never wait for a lock: a checkpoint that finds the database busy is simply the next tick's.
  db.pragma('busy_timeout = 0');
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next tick tries again.
    }
  }, workerData.everyMs as number);
  parentPort!.once('message', () => {
    clearInterval(timer);
    db.close();
    parentPort!.close();
  });
}

/** Starts checkpointing `store`'s WAL every `everyMs` on a worker thread. */
export function startCheckpoints(store: Store, everyMs = 25, onError: (e: Error) => void = () => {}): Checkpoints {
  // The bundler leaves better-sqlite3 external: resolved here, handed to the worker as a path.
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(`(${String(checkpointWorker)})(require)`, {
    eval: true,
    workerData: { driver, file: store.file, everyMs },
  });
  worker.unref();
  // A worker that fails leaves SQLite's own automatic checkpoint (the backstop below) doing the work:
  // slower tails, nothing lost. It must never take the app down with it.
  worker.on('error', (e) => onError(e));
  store.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
    },
  };
}
