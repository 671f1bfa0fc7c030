import type { Db } from '../../store/db';
import { flushAuditInbox, indexAuditText } from '../../store/audit';

/**
 * Keeps the audit log close behind the writes, off the write path of token issuance and logins: every
 * tick (10 ms) moves a batch of up to 100 new events from the inbox into the indexed log (a few tenths
 * of a millisecond; 10,000 events a second, more than the API issues on two cores), and every
 * `textEvery` ticks adds up to 250 moved ones to the full-text index. Small batches often rather than
 * large ones seldom: a request that arrives behind one waits well under a millisecond, which is what
 * keeps issuance's p99 low. Readers catch up the rest themselves, so the lag is never visible.
 */
export function startAuditTextIndexer(db: Db, log: (line: string) => void, everyMs = 10, textEvery = 5): { stop(): void } {
  let tick = 0;
  const timer = setInterval(() => {
    try {
      flushAuditInbox(db, 100);
      if (++tick % textEvery === 0) indexAuditText(db, 250);
    } catch (e) {
      log(`[audit index] ${(e as Error).message}`);
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
