// Audit log at scale: 1,000,000 events, then the time of a first page, a deep page (keyset), filtered
// pages, a text search and the CSV export. Prints figures; asserts nothing.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/main/store/db';
import { catchUpAuditText, queryAudit, type AuditFilter } from '../src/main/store/audit';
import { exportAuditCsv } from '../src/main/engine/audit/export';

const N = Number(process.env.AUDIT_EVENTS ?? 1_000_000);
const PAGE = 100;
const dir = mkdtempSync(join(tmpdir(), 'sso-desk-bench-audit-'));
const store = openStore(dir);
const db = store.db;

const accounts = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
const methods = ['password', 'passthrough', 'sso', 'platform-sso'];
const outcomes = ['ok', 'ok', 'ok', 'failed', 'refused'];
const reasons = [
  'authenticated',
  'external service answered 401 Unauthorized',
  'SSO enforced; use Sign in with SSO',
  'token expired',
  'timed out after 5000 ms',
];

let t = performance.now();
const insert = db.prepare(
  'INSERT INTO audit_log (at, kind, account_id, email, actor, method, outcome, reason, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const start = Date.parse('2026-01-01T00:00:00Z');
// mulberry32: a small seeded PRNG, so every run fills the same log.
let seed = 0x5eed;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
};
const fill = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    // Independent pseudo-random columns, so that filters combine the way real ones do.
    const h = (_salt: number) => rand();
    const account = accounts[h(1) % 5]!;
    const outcome = outcomes[h(2) % 5]!;
    const reason = outcome === 'ok' ? reasons[0] : reasons[1 + (h(3) % 4)];
    insert.run(
      start + i * 30_000,
      i % 7 === 0 ? 'settings.change' : 'login',
      account,
      `user${h(4) % 5000}@${account}.test`,
      'console',
      methods[h(5) % 4],
      outcome,
      reason,
      h(6) % 900,
    );
  }
});
for (let i = 0; i < N; i += 50_000) fill(i, Math.min(N, i + 50_000));
const fillMs = performance.now() - t;
// The background indexer would have kept up while the events came in; here it catches up in one go.
t = performance.now();
catchUpAuditText(db);
const indexMs = performance.now() - t;
db.pragma('wal_checkpoint(TRUNCATE)');
db.exec('ANALYZE');

function time(label: string, filter: AuditFilter, deep = false): void {
  // Find the cursor of a deep page first (not timed): page 5,000 of 100 for the unfiltered list.
  let before: number | undefined;
  if (deep) {
    const ids = db.prepare('SELECT id FROM audit_events ORDER BY id DESC LIMIT 1 OFFSET ?').get(Math.floor(N / 2)) as {
      id: number;
    };
    before = ids.id;
  }
  const runs: number[] = [];
  let rows = 0;
  for (let r = 0; r < 15; r++) {
    const s = performance.now();
    rows = queryAudit(db, filter, { limit: PAGE, before }).length;
    runs.push(performance.now() - s);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(48)} median ${runs[7]!.toFixed(2).padStart(7)} ms   worst ${runs[14]!.toFixed(2).padStart(7)} ms   (${rows} rows)`,
  );
}

console.log(
  `filled ${N.toLocaleString('en')} events in ${(fillMs / 1000).toFixed(1)} s, indexed them for search in ${(indexMs / 1000).toFixed(1)} s (batches of 5,000); database ${(statSync(store.file).size / 1e6).toFixed(0)} MB`,
);
time('first page, no filter', {});
time('deep page (keyset, half-way down), no filter', {}, true);
time('first page, account=globex', { accountId: 'globex' });
time('deep page, account=globex', { accountId: 'globex' }, true);
time('first page, account=acme + outcome=failed', { accountId: 'acme', outcome: 'failed' });
time('first page, account + method + outcome', { accountId: 'hooli', method: 'passthrough', outcome: 'refused' });
time('first page, a filter that matches nothing', { accountId: 'acme', method: 'nope' });
time('first page, method=sso + time range (one week)', {
  method: 'sso',
  from: start + 100 * 86_400_000,
  to: start + 107 * 86_400_000,
});
time('first page, text "user42@"', { text: 'user42@' });
time('first page, text "401 unauthorized" + account', { text: '401 unauthorized', accountId: 'acme' });
time('deep page, text "timed out"', { text: 'timed out' }, true);

t = performance.now();
const exported = await exportAuditCsv(db, dir, { outcome: 'failed' });
const exportMs = performance.now() - t;
console.log(
  `CSV export, outcome=failed: ${exported.rows.toLocaleString('en')} rows, ${(statSync(exported.path).size / 1e6).toFixed(1)} MB in ${(exportMs / 1000).toFixed(2)} s (${Math.round(exported.rows / (exportMs / 1000)).toLocaleString('en')} rows/s)`,
);
t = performance.now();
const all = await exportAuditCsv(db, dir, {});
console.log(
  `CSV export, everything: ${all.rows.toLocaleString('en')} rows in ${((performance.now() - t) / 1000).toFixed(2)} s`,
);

store.close();
rmSync(dir, { recursive: true, force: true });
