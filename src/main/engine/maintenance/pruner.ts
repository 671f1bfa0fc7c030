import type { Db } from '../../store/db';
import { PRUNE_TABLES, pruneBatch, type PruneTable } from '../../store/prune';
import { walWindow } from '../../store/checkpointer';
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
  slowBatches: Array<{ at: number; ms: number; table: string; rows: number }>;
}

export interface Pruner {
  /** Runs a pass now (or joins the one running). */
  kick(): Promise<PruneReport>;
  /** What every pass since the last call did, summed (for benchmarks and diagnostics). */
  drainStats(): PruneReport;
  stop(): void;
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes dead rows (expired tokens, sessions, resets, old outbox mail; see `PRUNE_TABLES`) in the
 * background, so that the tables every request walks hold what is live, not all the work the app has
 * ever done. Each batch is one short synchronous step sized to stay under `BATCH_BUDGET_MS`: the batch
 * size halves after a slow batch and doubles after a quick one, and the pass yields to the event loop
 * between batches, so a request never waits behind more than one.
 */
export function startPruner(db: Db, clock: Clock, log: (line: string) => void, everyMs = 60_000, tables: readonly PruneTable[] = PRUNE_TABLES): Pruner {
  let running: Promise<PruneReport> | null = null;
  let stopped = false;
  const empty = (): PruneReport => ({ deleted: {}, batches: 0, longestBatchMs: 0, overBudget: 0, largestBatchRows: 0, slowBatches: [] });
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
        if (stopped || !db.open) return report;
        const started = performance.now();
        const r = pruneBatch(db, t, clock.now(), after, size);
        const took = performance.now() - started;
        report.batches++;
        report.longestBatchMs = Math.max(report.longestBatchMs, took);
        report.largestBatchRows = Math.max(report.largestBatchRows, r.examined);
        if (took > BATCH_BUDGET_MS && report.overBudget++ < 100) report.slowBatches.push({ at: started, ms: took, table: t.table, rows: r.examined });
        if (took > BATCH_BUDGET_MS / 2) size = Math.max(MIN_BATCH, size >> 1);
        // Grown below a quarter of the budget, halved above half: batches settle at 0.25–0.5 ms, where a
        // batch's commit (most of its cost at 64 rows) is shared by a few hundred rows.
        else if (took < BATCH_BUDGET_MS / 4 && r.deleted === size) size = Math.min(MAX_BATCH, size << 1);
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
