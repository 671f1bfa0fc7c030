import type { Db } from '../../store/db';
import { flushAuditInbox, indexAuditText } from '../../store/audit';

/**
 * Keeps the audit log close behind the writes, off the write path of token issuance and logins: every
 * tick (10 ms) moves a batch of up to 100 new events from the inbox into the indexed log (a few tenths
 * of a millisecond; 10,000 events a second, more than the API issues on two cores), and every
 * `textEvery` ticks adds up to 250 moved ones to the full-text index. Small batches often rather than
 * large ones seldom: a request that arrives behind one waits well under a millisecond, which is what
 * keeps issuance's p99 low. Readers catch up the rest themselves, so the lag is never visible; a
 * reader also pays at most one idle interval's backlog.
 */
export function startAuditTextIndexer(db: Db, log: (line: string) => void, everyMs = 10, textEvery = 5): { stop(): void } {
  // An idle app should not wake a hundred times a second: after a tick that found nothing to do, the
  // next one waits IDLE_MS; as soon as events arrive it is back to `everyMs`.
  const IDLE_MS = 500;
  let tick = 0;
  let timer: NodeJS.Timeout;
  let stopped = false;
  const run = () => {
    let moved = 0;
    let indexed = 0;
    try {
      moved = flushAuditInbox(db, 100);
      if (++tick % textEvery === 0 || moved === 0) indexed = indexAuditText(db, 250);
    } catch (e) {
      log(`[audit index] ${(e as Error).message}`);
    }
    if (stopped) return;
    timer = setTimeout(run, moved > 0 || indexed > 0 ? everyMs : IDLE_MS);
    timer.unref();
  };
  timer = setTimeout(run, everyMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
