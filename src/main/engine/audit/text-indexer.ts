import type { Db } from '../../store/db';
import { flushAuditInbox, indexAuditText } from '../../store/audit';

/**
 * Keeps the audit log close behind the writes, off the write path of token issuance and logins: every
 * tick moves one small batch of new events from the inbox into the indexed log (a few milliseconds at
 * most, so no request waits long behind it), and every `textEvery` ticks adds the moved ones to the
 * full-text index. Readers catch up the rest themselves, so the lag is never visible.
 */
export function startAuditTextIndexer(db: Db, log: (line: string) => void, everyMs = 100, textEvery = 10): { stop(): void } {
  let tick = 0;
  const timer = setInterval(() => {
    try {
      flushAuditInbox(db, 500);
      if (++tick % textEvery === 0) indexAuditText(db);
    } catch (e) {
      log(`[audit index] ${(e as Error).message}`);
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
