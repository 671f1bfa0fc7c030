import type { Db } from '../../store/db';
import { flushAuditInbox, indexAuditText } from '../../store/audit';
import { batchTurn, endBatch, walWindow } from '../../store/checkpointer';

export interface AuditUpkeepOptions {
  /** Between runs while events arrive (ms). */
  everyMs?: number;
  /** Between runs while a run found a full batch: the backlog is worked off at this pace (ms). */
  backlogMs?: number;
  /** After a run that found nothing to do (ms): an idle app does not wake often. */
  idleMs?: number;
  /** Events moved from the inbox into the indexed log per run. */
  moveBatch?: number;
  /** Every how many runs the full-text index catches up (and whenever nothing was moved). */
  textEvery?: number;
  /** Events added to the full-text index per run. */
  textBatch?: number;
}

/**
 * Keeps the audit log close behind the writes, off the write path of token issuance and logins: every
 * run moves the new events from the inbox into the indexed log, and every few runs adds the moved ones
 * to the full-text index. Readers catch up the rest themselves, so the lag is never visible.
 *
 * Few runs of a thousand events or more rather than many small ones. Each run has a fixed cost (the
 * transaction, the pages of six indexes, a new FTS5 segment) of 0.15–0.25 ms on top of 6–8 µs an event
 * to move and about 3 µs to index (measured on the 2-core VM, see BENCHMARKS.md), and each run delays
 * the requests that arrive during it. At one client a run delays one request whatever its length, so what
 * the tail feels is how many runs there are, not how long each is: 100 runs a second → 10 took one
 * client's p99 from 1.45 to 0.93 ms, and 10 → 4 took it from 1.1–1.5× the peer's to 0.8–1.0× (bench/tokens,
 * 2026-11-26). Moving in the group commit instead (a little in every 32nd request) was worse: 1.4×. A
 * run stays under about 10 ms (1,250 events to move, 2,500 to index), which keeps the tail at 64
 * clients where it was (with 2,500 and 5,000, 64 clients' p99 came within 1–7 % of the peer's in two of
 * three runs); a full batch means a backlog, and the next run comes at `backlogMs`.
 */
export function startAuditTextIndexer(
  db: Db,
  log: (line: string) => void,
  options: AuditUpkeepOptions = {},
): { stop(): void } {
  const { everyMs = 250, backlogMs = 25, idleMs = 500, moveBatch = 1250, textEvery = 4, textBatch = 2500 } = options;
  let run = 0;
  let timer: NodeJS.Timeout;
  let stopped = false;
  const tick = () => {
    // Writes wait for a WAL restart window; background runs also for the checkpointer's syncs (batchTurn).
    const hold = walWindow(db) ?? batchTurn(db);
    if (hold) {
      void hold.then(() => {
        if (!stopped) tick();
      });
      return;
    }
    let moved = 0;
    let indexed = 0;
    try {
      moved = flushAuditInbox(db, moveBatch);
      if (++run % textEvery === 0 || moved === 0) indexed = indexAuditText(db, textBatch);
    } catch (e) {
      log(`[audit index] ${(e as Error).message}`);
    } finally {
      endBatch(db);
    }
    if (stopped) return;
    const next = moved === moveBatch || indexed === textBatch ? backlogMs : moved > 0 || indexed > 0 ? everyMs : idleMs;
    timer = setTimeout(tick, next);
    timer.unref();
  };
  timer = setTimeout(tick, everyMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
