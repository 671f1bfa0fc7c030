/**
 * Tables that stop growing: issues 1,000,000 Platform SSO tokens through the engine (the same
 * `issueSsoToken` the route calls: validation, the lookup, hashing, the token row and its audit event
 * committed before it answers) with a clock that moves 61 minutes every 100,000, while the background
 * pruner runs as it does in the app. After each block it prints how many rows the token table holds and
 * the block's issuance rate; the last block's rate is printed as a ratio of the first's.
 *
 *   node --import tsx bench/growth.bench.ts            (GROWTH_TOKENS=200000 for a shorter run)
 *
 * Prints figures; passes or fails nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/main/store/db';
import { startCheckpointer } from '../src/main/store/checkpointer';
import { importWorkspace } from '../src/main/engine/workspace/import';
import { fileKeySecretBox } from '../src/main/engine/crypto/secret-box';
import { demoWorkspace } from '../src/main/engine/workspace/demo';
import { issueSsoToken } from '../src/main/engine/tokens/issue-sso';
import { BATCH_BUDGET_MS, startPruner } from '../src/main/engine/maintenance/pruner';
import { startAuditTextIndexer } from '../src/main/engine/audit/text-indexer';
import { countRows } from '../src/main/store/prune';
import { appendAudit } from '../src/main/store/audit';
import type { EngineContext } from '../src/main/engine/context';

const TOTAL = Number(process.env.GROWTH_TOKENS ?? 1_000_000);
const BLOCK = Math.min(100_000, TOTAL);
const IN_FLIGHT = 16;
const MIN = 60_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-bench-growth-'));
  const store = openStore(dir);
  const checkpoints = startCheckpointer(store);
  const secrets = fileKeySecretBox(dir);
  const { workspace } = demoWorkspace();
  for (const u of workspace.users) delete u.password; // scrypt is not what this measures
  await importWorkspace(store.db, secrets, workspace);
  let now = Date.parse('2026-11-25T00:00:00Z');
  const clock = { now: () => now };
  const ctx = {
    store,
    clock,
    urls: { api: 'http://127.0.0.1:1', idp: null, passthrough: null },
    version: 'bench',
    log: () => {},
    audit: (e: Omit<Parameters<typeof appendAudit>[1], 'at'>) => void appendAudit(store.db, { ...e, at: now }),
  } as unknown as EngineContext;
  // The app's pruner runs every minute; here the clock jumps an hour per block, so it runs every 250 ms
  // of real time to see the jumps while the issuance goes on.
  const pruner = startPruner(store.db, clock, (l) => console.error(l), 250);
  // As in the app: the audit log's mover and full-text indexer run behind the writes, so the log keeps
  // every event (1,000,000 of them by the end) and issuance shares the event loop with its upkeep.
  const auditUpkeep = startAuditTextIndexer(store.db, (l) => console.error(l));
  const acme = workspace.accounts.find((a) => a.id === 'acme')!;
  const bot = workspace.bots.find((b) => b.id === 'helpdesk')!;
  const body = { AccountAPIKey: acme.apiKey, BotAPIKey: bot.apiKey, BotAPISecret: bot.apiSecret, Email: 'carol@acme.test' };

  console.log(`# ${TOTAL.toLocaleString('en')} tokens, clock +61 min every ${BLOCK.toLocaleString('en')}, ${IN_FLIGHT} in flight · ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'}`);
  console.log(`# load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log('| block | tokens issued | rows in sso_tokens | tokens/s | prune batches | over 1 ms | longest batch ms | most rows in a batch |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  const rates: number[] = [];
  let issued = 0;
  let longest = 0;
  let batches = 0;
  let over = 0;
  const slow: Array<{ at: number; ms: number }> = [];
  // Garbage-collection pauses of this process, to tell a batch that was slow from one that a GC paused.
  const gcs: Array<{ start: number; end: number }> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  for (let b = 1; issued < TOTAL; b++) {
    const end = Math.min(TOTAL, issued + BLOCK);
    const started = performance.now();
    let next = issued;
    const worker = async () => {
      while (next < end) {
        next++;
        await issueSsoToken(ctx, body, 'http://127.0.0.1:1');
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const rate = (end - issued) / ((performance.now() - started) / 1000);
    issued = end;
    rates.push(rate);
    await pruner.kick(); // joins the running pass, if any: the table as the app would hold it
    // Every pass during this block: the deletes of the block before happen while this one is issued.
    const report = pruner.drainStats();
    longest = Math.max(longest, report.longestBatchMs);
    batches += report.batches;
    over += report.overBudget;
    slow.push(...report.slowBatches);
    console.log(`| ${b} | ${issued.toLocaleString('en')} | ${countRows(store.db, 'sso_tokens').toLocaleString('en')} | ${rate.toFixed(0)} | ${report.batches} | ${report.overBudget} | ${report.longestBatchMs.toFixed(2)} | ${report.largestBatchRows} |`);
    now += 61 * MIN;
  }
  await pruner.kick();
  console.log(`\nafter the last jump: ${countRows(store.db, 'sso_tokens')} rows in sso_tokens (every token expired), ${countRows(store.db, 'audit_events').toLocaleString('en')} audit events kept`);
  console.log(`last block's rate ÷ first block's: **${(rates[rates.length - 1]! / rates[0]!).toFixed(2)}×**`);
  gcObserver.disconnect();
  const paused = slow.filter((b) => gcs.some((g) => g.start < b.at + b.ms && g.end > b.at));
  const own = slow.filter((b) => !paused.includes(b));
  console.log(`prune batches: ${batches.toLocaleString('en')}, of which over ${BATCH_BUDGET_MS} ms: ${over} (${((100 * over) / Math.max(1, batches)).toFixed(2)} %); longest ${longest.toFixed(2)} ms`);
  console.log(
    `of the ${slow.length} over ${BATCH_BUDGET_MS} ms recorded: ${paused.length} ran into a garbage-collection pause of the process (${gcs.length} pauses in the run, longest ${Math.max(0, ...gcs.map((g) => g.end - g.start)).toFixed(2)} ms); ` +
      `${own.length} did not${own.length ? `, longest ${Math.max(...own.map((b) => b.ms)).toFixed(2)} ms` : ''}`,
  );
  console.log(`# load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  pruner.stop();
  auditUpkeep.stop();
  checkpoints.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
