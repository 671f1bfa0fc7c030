import type { Db } from '../../store/db';
import { PRUNE_TABLES, pruneBatch, type PruneTable } from '../../store/prune';
import { batchTurn, endBatch, walWindow } from '../../store/checkpointer';
import type { Clock } from '../context';

/** A batch should hold the store (and so every request waiting behind it) for less than this. */
export const BATCH_BUDGET_MS = 1;
const MIN_BATCH = 16;
const FIRST_BATCH = 64;
const MAX_BATCH = 4096;

export interface PruneReport {
  deleted: Record<string, number>;
  batches: number;
  /** The longest single batch of this pass, in ms: what a request could have waited behind. */
  longestBatchMs: number;
  /** Batches of this pass that took longer than BATCH_BUDGET_MS. */
  overBudget: number;
  /** The most rows one batch of this pass looked at. */
  largestBatchRows: number;
  /** The batches over budget (the first 100): when (performance.now()), how long, which table, how many rows. */
  slowBatches: SlowBatch[];
}

export interface SlowBatch {
  at: number;
  ms: number;
  table: string;
  rows: number;
  /**
   * The thread's context switches during the batch, when the probe can count them (bench/growth): an
   * involuntary one means the kernel gave the core to another thread mid-batch, a voluntary one that a
   * system call (a WAL write) waited in the kernel. Neither means the batch ran on its core throughout.
   */
  switches?: ThreadSwitches;
}

export interface ThreadSwitches {
  voluntary: number;
  involuntary: number;
  /**
   * Milliseconds the thread has spent runnable but waiting for a core (Linux: /proc/thread-self/schedstat,
   * the scheduler's own count), when the probe can read it. Over a batch, it is the part of the batch's
   * time in which no request could have run either: the thread itself was waiting for a core.
   */
  runQueueMs?: number;
}

/** What a benchmark or a test may put under the pruner: its clock for batch times, a context-switch counter. */
export interface PrunerProbe {
  /** Milliseconds, for timing batches (default `performance.now`). */
  now?: () => number;
  /** The calling thread's context switches so far (Linux: /proc/thread-self/status); read only around batches. */
  switches?: () => ThreadSwitches;
}

export interface Pruner {
  /** Runs a pass now (or joins the one running). */
  kick(): Promise<PruneReport>;
  /** What every pass since the last call did, summed (for benchmarks and diagnostics). */
  drainStats(): PruneReport;
  stop(): void;
}

/** What the counter counted between two readings. */
export function switchesBetween(before: ThreadSwitches, after: ThreadSwitches): ThreadSwitches {
  const d: ThreadSwitches = {
    voluntary: after.voluntary - before.voluntary,
    involuntary: after.involuntary - before.involuntary,
  };
  if (before.runQueueMs !== undefined && after.runQueueMs !== undefined)
    d.runQueueMs = after.runQueueMs - before.runQueueMs;
  return d;
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes dead rows (expired tokens, sessions, resets, old outbox mail; see `PRUNE_TABLES`) in the
 * background, so that the tables every request walks hold what is live, not all the work the app has
 * ever done. Each batch is one short synchronous step sized to stay under `BATCH_BUDGET_MS`: the batch
 * size halves after a slow batch and doubles after a quick one, and the pass yields to the event loop
 * between batches, so a request never waits behind more than one.
 */
export function startPruner(
  db: Db,
  clock: Clock,
  log: (line: string) => void,
  everyMs = 60_000,
  tables: readonly PruneTable[] = PRUNE_TABLES,
  probe: PrunerProbe = {},
): Pruner {
  const msNow = probe.now ?? (() => performance.now());
  let running: Promise<PruneReport> | null = null;
  let stopped = false;
  const empty = (): PruneReport => ({
    deleted: {},
    batches: 0,
    longestBatchMs: 0,
    overBudget: 0,
    largestBatchRows: 0,
    slowBatches: [],
  });
  const pass = async (): Promise<PruneReport> => {
    const report = empty();
    for (const t of tables) {
      let after = 0;
      let deleted = 0;
      // Every table's pass starts small and adapts from there. Its first rows are the oldest, the least
      // likely to be in SQLite's page cache, and nothing learnt in another pass or table says how long
      // they take (when one size was shared, the empty tables of one pass grew it to 4,096 and the next
      // pass opened with a 3 ms batch of tokens). Only a batch that deleted as many rows as it may grows
      // the size: a quick look at live rows says nothing about how long deleting them takes.
      let size = FIRST_BATCH;
      for (;;) {
        const hold = walWindow(db);
        if (hold) await hold;
        // Not while the checkpointer syncs (see batchTurn); then the window may be due again.
        const syncing = batchTurn(db);
        if (syncing) {
          await syncing;
          continue;
        }
        if (stopped || !db.open) {
          endBatch(db);
          return report;
        }
        const before = probe.switches?.();
        const started = msNow();
        let r: ReturnType<typeof pruneBatch>;
        try {
          r = pruneBatch(db, t, clock.now(), after, size);
        } finally {
          endBatch(db);
        }
        const took = msNow() - started;
        report.batches++;
        report.longestBatchMs = Math.max(report.longestBatchMs, took);
        report.largestBatchRows = Math.max(report.largestBatchRows, r.examined);
        if (took > BATCH_BUDGET_MS && report.overBudget++ < 100) {
          const now = before && probe.switches?.();
          const switches = before && now ? switchesBetween(before, now) : undefined;
          report.slowBatches.push({
            at: started,
            ms: took,
            table: t.table,
            rows: r.examined,
            ...(switches ? { switches } : {}),
          });
        }
        // Halved above a quarter of the budget, grown below an eighth: batches settle at 0.125–0.25 ms.
        // A batch's time on this VM varies 3–4× with what the other core does (the kernel hands the core
        // to another thread, or a WAL write waits while the checkpointer syncs the same file), so one that
        // usually takes 0.5 ms sometimes takes over 1, and one of 0.25 ms has the headroom. At 64–128 rows
        // the commit is still shared by enough rows: bench/growth, 300,000 tokens, A/B twice, 0.62 % and
        // 0.49 % of batches over 1 ms at 0.25–0.5 ms against 0.27 % and 0.19 %, at the same issuance rate.
        if (took > BATCH_BUDGET_MS / 4) size = Math.max(MIN_BATCH, size >> 1);
        else if (took < BATCH_BUDGET_MS / 8 && r.deleted === size) size = Math.min(MAX_BATCH, size << 1);
        deleted += r.deleted;
        if (r.next === null) break;
        after = r.next;
        await yieldToRequests();
      }
      report.deleted[t.table] = deleted;
      await yieldToRequests();
    }
    return report;
  };
  let stats = empty();
  const add = (r: PruneReport): PruneReport => {
    for (const [t, n] of Object.entries(r.deleted)) stats.deleted[t] = (stats.deleted[t] ?? 0) + n;
    stats.batches += r.batches;
    stats.overBudget += r.overBudget;
    stats.longestBatchMs = Math.max(stats.longestBatchMs, r.longestBatchMs);
    stats.largestBatchRows = Math.max(stats.largestBatchRows, r.largestBatchRows);
    stats.slowBatches.push(...r.slowBatches.slice(0, 100 - stats.slowBatches.length));
    return r;
  };
  const kick = (): Promise<PruneReport> => {
    running ??= pass()
      .then(add)
      .catch((e: unknown) => {
        log(`[pruner] ${(e as Error).message}`);
        return empty();
      })
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void kick(), everyMs);
  timer.unref();
  return {
    kick,
    drainStats: () => {
      const r = stats;
      stats = empty();
      return r;
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
