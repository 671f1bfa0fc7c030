// Sign-in logs at scale: 1,000,000 sign-in attempts among half as many token issuances in the audit log,
// then the time of a first page (rows in words, as the channel returns them), a deep page and filtered
// pages. Prints figures; asserts nothing. Aims: first page < 50 ms, a filter < 200 ms.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/main/store/db';
import { querySigninLog, type SigninFilter } from '../src/main/store/signin-log';
import { signinRow } from '../src/main/engine/signin-log/rows';

const N = Number(process.env.SIGNIN_EVENTS ?? 1_000_000);
const PAGE = 100;
const dir = mkdtempSync(join(tmpdir(), 'sso-desk-bench-signin-'));
const store = openStore(dir);
const db = store.db;

const accounts = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
const paths: Array<{ kind: string; method: string | null }> = [
  { kind: 'auth.login', method: 'password' },
  { kind: 'auth.login', method: 'passthrough' },
  { kind: 'sso.signin', method: 'sso' },
  { kind: 'sso.token.redeem', method: 'platform-sso' },
  { kind: 'auth.login', method: null },
];
// mulberry32: a small seeded PRNG, so every run fills the same log.
let seed = 0x5eed;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
};
const step = (detail: string) => ({ step: 'policy', outcome: 'info', detail, atMs: 1 });

const t = performance.now();
const insert = db.prepare(
  `INSERT INTO audit_log (at, kind, account_id, email, actor, method, outcome, reason, duration_ms, detail)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const start = Date.parse('2026-01-01T00:00:00Z');
let at = start;
const fill = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    // Token issuances are most of a real log: they share the table, not the sign-in indexes.
    if (i % 2 === 0)
      insert.run(
        (at += 10_000),
        'sso.token.issue',
        'acme',
        'ann@acme.test',
        'Platform API',
        'platform-sso',
        'ok',
        'issued',
        3,
        null,
      );
    const account = accounts[rand() % 5]!;
    const path = paths[rand() % 5]!;
    // About one attempt in ten fails; one in a hundred is a Simulator run.
    const failed = rand() % 10 === 0 || path.method === null;
    const outcome = failed ? 'failed' : path.kind === 'auth.login' ? 'authenticated' : 'ok';
    insert.run(
      (at += 20_000),
      path.kind,
      account,
      `user${rand() % 20_000}@${account}.test`,
      rand() % 100 === 0 ? 'simulator' : 'api 10.0.0.1',
      path.method,
      outcome,
      failed ? 'Login failed: the external service answered 401 Unauthorized.' : 'signed in',
      rand() % 900,
      JSON.stringify({
        code: failed ? 'authentication_failed' : undefined,
        trace: [step('the account uses a password')],
      }),
    );
  }
});
for (let i = 0; i < N; i += 50_000) fill(i, Math.min(N, i + 50_000));
const fillMs = performance.now() - t;
db.pragma('wal_checkpoint(TRUNCATE)');
db.exec('ANALYZE');
const last = at;

function time(label: string, filter: SigninFilter, deep = false): void {
  // The cursor of a deep page (not timed): half-way down the unfiltered log.
  const before = deep
    ? (db.prepare('SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?').get(N / 2) as { id: number }).id
    : undefined;
  const runs: number[] = [];
  let rows = 0;
  for (let r = 0; r < 15; r++) {
    const s = performance.now();
    rows = querySigninLog(db, filter, { limit: PAGE, before }).map((e) => signinRow(e, null)).length;
    runs.push(performance.now() - s);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(52)} median ${runs[7]!.toFixed(2).padStart(7)} ms   worst ${runs[14]!.toFixed(2).padStart(7)} ms   (${rows} rows)`,
  );
}

console.log(
  `filled ${N.toLocaleString('en')} sign-ins and ${(N / 2).toLocaleString('en')} token issuances in ${(fillMs / 1000).toFixed(1)} s; database ${(statSync(store.file).size / 1e6).toFixed(0)} MB`,
);
time('first page, no filter', {});
time('deep page (keyset, half-way down), no filter', {}, true);
time('first page, user=user42@acme.test', { email: 'user42@acme.test' });
time('first page, account=globex', { accountId: 'globex' });
time('first page, method=sso', { method: 'sso' });
time('first page, result=failure', { result: 'failure' });
time('first page, Simulator runs only', { simulator: true });
time('first page, account + method + result=failure', { accountId: 'hooli', method: 'passthrough', result: 'failure' });
time('first page, user + result=success', { email: 'user42@acme.test', result: 'success' });
time('first page, method=sso + one week', {
  method: 'sso',
  from: last - 7 * 86_400_000 * 10,
  to: last - 7 * 86_400_000 * 9,
});
time('first page, one day, no other filter', { from: start + 86_400_000 * 30, to: start + 86_400_000 * 31 });
time('first page, account + a method with no sign-ins', { accountId: 'acme', method: 'saml' });
time('first page, account + method + result, none match', { accountId: 'acme', method: 'saml', result: 'failure' });
time('first page, user + Simulator runs only', { email: 'user42@acme.test', simulator: true });
time('first page, account + Simulator + one week', {
  accountId: 'globex',
  simulator: true,
  from: last - 7 * 86_400_000 * 10,
  to: last - 7 * 86_400_000 * 9,
});

store.close();
rmSync(dir, { recursive: true, force: true });
