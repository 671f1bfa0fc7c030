import type { Db } from '../../store/db';
import { PRUNE_TABLES, pruneBatch, type PruneTable } from '../../store/prune';
import { deleteAuditBefore, flushAuditInbox, indexAuditText } from '../../store/audit';
import { getRetention, recordRetentionRun } from '../audit/retention';
import type { Clock } from '../context';

/**
 * All of SSO Desk's background work on the store, in one module with one rule: every step is one short
 * synchronous statement on the main connection, and the loop yields to the event loop between steps, so
 * a request never waits behind more than one step.
 *
 * - **Expired rows** (tokens, deep-link sessions, sessions, reset links, old outbox mail; `PRUNE_TABLES`)
 *   are deleted every minute in batches of `PRUNE_BATCH` rows.
 * - **Audit retention**: events older than the retention window are deleted every hour (and at once when
 *   the setting changes), in batches of `AUDIT_BATCH`.
 * - **Audit upkeep**: events land in an unindexed inbox on the write path (store/audit.ts); they are moved
 *   into the indexed log and its full-text index here, a few times a second while events arrive. Readers
 *   catch up whatever is still pending, so the lag is never visible.
 *
 * SQLite checkpoints the WAL by itself (`wal_autocheckpoint`, store/db.ts); nothing here touches the WAL.
 */
export const PRUNE_BATCH = 500;
export const AUDIT_BATCH = 2000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The audit upkeep's pace: a few runs of a thousand events rather than many small ones (each run has a fixed cost). */
export const UPKEEP = { everyMs: 250, backlogMs: 25, idleMs: 1000, moveBatch: 1250, textEvery: 4, textBatch: 2500 };

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface PruneReport {
  /** Rows deleted, per table. */
  deleted: Record<string, number>;
  /** Batches run, per table: each one statement pair, with a turn of the event loop between two. */
  batches: Record<string, number>;
}

/**
 * Deletes every dead row of `tables` (rows whose expiry is past `now`) in batches of `batch` rows.
 */
export async function pruneExpired(
  db: Db,
  now: number,
  tables: readonly PruneTable[] = PRUNE_TABLES,
  batch = PRUNE_BATCH,
): Promise<PruneReport> {
  const report: PruneReport = { deleted: {}, batches: {} };
  for (const t of tables) {
    let after = 0;
    report.deleted[t.table] = 0;
    report.batches[t.table] = 0;
    for (;;) {
      if (!db.open) return report;
      const r = pruneBatch(db, t, now, after, batch);
      report.deleted[t.table]! += r.deleted;
      report.batches[t.table]!++;
      if (r.next === null) break;
      after = r.next;
      await yieldToRequests();
    }
  }
  return report;
}

/**
 * Deletes the audit events older than the retention window (none when it is "forever"), in batches.
 * @returns how many were deleted.
 */
export async function purgeAudit(db: Db, clock: Clock, batch = AUDIT_BATCH): Promise<number> {
  const { days } = getRetention(db);
  let deleted = 0;
  if (days !== null) {
    const cutoff = clock.now() - days * DAY;
    for (;;) {
      if (!db.open) return deleted;
      const n = deleteAuditBefore(db, cutoff, batch);
      deleted += n;
      if (n < batch) break;
      await yieldToRequests();
    }
  }
  recordRetentionRun(db, clock.now(), deleted);
  return deleted;
}

/**
 * One run of the audit upkeep: moves up to `moveBatch` events from the inbox into the log, and every
 * `textEvery` runs (or when nothing was moved) adds up to `textBatch` to the full-text index.
 * @returns the delay until the next run: short while there is a backlog, long when there was nothing to do.
 */
export function auditUpkeepRun(db: Db, run: number, pace = UPKEEP): number {
  const moved = flushAuditInbox(db, pace.moveBatch);
  const indexed = run % pace.textEvery === 0 || moved === 0 ? indexAuditText(db, pace.textBatch) : 0;
  if (moved === pace.moveBatch || indexed === pace.textBatch) return pace.backlogMs;
  return moved > 0 || indexed > 0 ? pace.everyMs : pace.idleMs;
}

export interface Maintenance {
  /** Prunes expired rows now (or joins the pass that is running). */
  prune(): Promise<PruneReport>;
  /** Applies audit retention now (or joins the run that is running). */
  purgeAudit(): Promise<number>;
  stop(): void;
}

export interface MaintenanceOptions {
  pruneEveryMs?: number;
  retentionEveryMs?: number;
  upkeep?: typeof UPKEEP;
}

/** Starts the background work described above; `stop()` cancels every timer. */
export function startMaintenance(
  db: Db,
  clock: Clock,
  log: (line: string) => void,
  options: MaintenanceOptions = {},
): Maintenance {
  const { pruneEveryMs = MINUTE, retentionEveryMs = 60 * MINUTE, upkeep = UPKEEP } = options;
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  // One run at a time per duty: a timer that fires during a long pass joins it.
  const single = <T>(name: string, fallback: T, work: () => Promise<T>) => {
    let running: Promise<T> | null = null;
    return (): Promise<T> =>
      (running ??= work()
        .catch((e: unknown) => {
          log(`[maintenance: ${name}] ${(e as Error).message}`);
          return fallback;
        })
        .finally(() => (running = null)));
  };
  const prune = single<PruneReport>('expired rows', { deleted: {}, batches: {} }, () => pruneExpired(db, clock.now()));
  const purge = single('audit retention', 0, () => purgeAudit(db, clock));
  const every = (ms: number, fn: () => unknown) => {
    const t = setInterval(fn, ms);
    t.unref();
    timers.push(t);
  };
  every(pruneEveryMs, () => void prune());
  every(retentionEveryMs, () => void purge());
  void purge();

  let run = 0;
  let upkeepTimer: NodeJS.Timeout;
  const upkeepTick = () => {
    if (stopped || !db.open) return;
    let next = upkeep.idleMs;
    try {
      next = auditUpkeepRun(db, ++run, upkeep);
    } catch (e) {
      log(`[maintenance: audit upkeep] ${(e as Error).message}`);
    }
    upkeepTimer = setTimeout(upkeepTick, next);
    upkeepTimer.unref();
  };
  upkeepTimer = setTimeout(upkeepTick, upkeep.everyMs);
  upkeepTimer.unref();

  return {
    prune,
    purgeAudit: purge,
    stop: () => {
      stopped = true;
      timers.forEach((t) => clearInterval(t));
      clearTimeout(upkeepTimer);
    },
  };
}
