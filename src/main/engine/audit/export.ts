import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Db } from '../../store/db';
import { queryAudit, type AuditFilter } from '../../store/audit';
import { randomToken } from '../crypto/hash';
import { csvLine } from './csv';

const HEADER = ['id', 'time', 'kind', 'account', 'email', 'actor', 'method', 'outcome', 'reason', 'duration_ms'];
const PAGE = 2000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes the filtered events as CSV to a new file under `<dataDir>/exports`, page by page with a yield
 * between pages so that the process keeps answering while a million rows stream out.
 * @returns the file's path and the number of rows written.
 */
export async function exportAuditCsv(
  db: Db,
  dataDir: string,
  filter: AuditFilter,
): Promise<{ path: string; rows: number }> {
  const dir = join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `audit-${randomToken(9)}.csv`);
  const out = createWriteStream(path, { mode: 0o600 });
  let rows = 0;
  try {
    if (!out.write(csvLine(HEADER))) await once(out, 'drain');
    let before: number | undefined;
    for (;;) {
      const page = queryAudit(db, filter, { limit: PAGE, before });
      if (page.length === 0) break;
      let chunk = '';
      for (const e of page) {
        chunk += csvLine([
          e.id,
          new Date(e.at).toISOString(),
          e.kind,
          e.accountId,
          e.email,
          e.actor,
          e.method,
          e.outcome,
          e.reason,
          e.durationMs,
        ]);
      }
      rows += page.length;
      if (!out.write(chunk)) await once(out, 'drain');
      before = page[page.length - 1]!.id;
      if (page.length < PAGE) break;
      await yieldToLoop();
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { path, rows };
}
