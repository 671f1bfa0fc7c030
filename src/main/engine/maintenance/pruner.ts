import type { Db } from '../../store/db';
import { PRUNE_TABLES, pruneBatch, type PruneTable } from '../../store/prune';
import type { Clock } from '../context';

/** A batch should hold the store (and so every request waiting behind it) for less than this. */
export const BATCH_BUDGET_MS = 1;
const MIN_BATCH = 16;
const MAX_BATCH = 4096;

export interface PruneReport {
  deleted: Record<string, number>;
  batches: number;
  /** The longest single batch of this pass, in ms: what a request could have waited behind. */
  longestBatchMs: number;
}

export interface Pruner {
  /** Runs a pass now (or joins the one running). */
  kick(): Promise<PruneReport>;
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
  let size = 64;
  const pass = async (): Promise<PruneReport> => {
    const report: PruneReport = { deleted: {}, batches: 0, longestBatchMs: 0 };
    for (const t of tables) {
      let after = 0;
      let deleted = 0;
      for (;;) {
        if (stopped || !db.open) return report;
        const started = performance.now();
        const r = pruneBatch(db, t, clock.now(), after, size);
        const took = performance.now() - started;
        report.batches++;
        report.longestBatchMs = Math.max(report.longestBatchMs, took);
        if (took > BATCH_BUDGET_MS / 2) size = Math.max(MIN_BATCH, size >> 1);
        else if (took < BATCH_BUDGET_MS / 8) size = Math.min(MAX_BATCH, size << 1);
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
  const kick = (): Promise<PruneReport> => {
    running ??= pass()
      .catch((e: unknown) => {
        log(`[pruner] ${(e as Error).message}`);
        return { deleted: {}, batches: 0, longestBatchMs: 0 };
      })
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void kick(), everyMs);
  timer.unref();
  return {
    kick,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
