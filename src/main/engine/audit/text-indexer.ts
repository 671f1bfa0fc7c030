import type { Db } from '../../store/db';
import { indexAuditText } from '../../store/audit';

/**
 * Keeps the audit full-text index close behind the writes, one batch per tick, off the write path of
 * token issuance and logins. Searches catch up the rest themselves, so the lag is never visible.
 */
export function startAuditTextIndexer(db: Db, log: (line: string) => void, everyMs = 1000): { stop(): void } {
  const timer = setInterval(() => {
    try {
      indexAuditText(db);
    } catch (e) {
      log(`[audit index] ${(e as Error).message}`);
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
