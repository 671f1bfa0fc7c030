/**
 * Tables that stop growing: issues 1,000,000 Platform SSO tokens through the engine (the same
 * `issueSsoToken` the route calls: validation, the lookup, hashing, the token row and its audit event
 * committed before it answers) with a clock that moves 61 minutes every 100,000, while the background
 * pruner runs as it does in the app. After each block it prints how many rows the token table holds and
 * the block's issuance rate.
 *
 * The rate of one block against another is a side-by-side figure, and this VM's speed drifts by up to
 * 2× over seconds, so each block is measured beside a control: the same 100,000 tokens into a fresh
 * store, which is the first block run again, in slices of the same size alternating with the block's own
 * (A B B A …, as bench/tokens does). Each slice's time includes its own background work, so that none of
 * it lands on the other side: the pruning pass (started as the slice starts, awaited before it ends) and
 * what the audit upkeep has not moved and indexed yet. What growth costs is the block's rate ÷ the
 * control's; the aim compares that figure for the last block with the first.
 *
 *   node --import tsx bench/growth.bench.ts            (GROWTH_TOKENS=200000 for a shorter run)
 *
 * Prints figures; passes or fails nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../src/main/store/db';
import { startCheckpoints } from '../src/main/store/checkpoints';
import { importWorkspace } from '../src/main/engine/workspace/import';
import { fileKeySecretBox } from '../src/main/engine/crypto/secret-box';
import { demoWorkspace } from '../src/main/engine/workspace/demo';
import { issueSsoToken } from '../src/main/engine/tokens/issue-sso';
import { pruneExpired, startMaintenance, type PruneReport } from '../src/main/engine/maintenance/maintenance';
import { countRows } from '../src/main/store/prune';
import { appendAudit, flushAuditInbox, indexAuditText } from '../src/main/store/audit';
import type { EngineContext } from '../src/main/engine/context';

const TOTAL = Number(process.env.GROWTH_TOKENS ?? 1_000_000);
const BLOCK = Math.min(100_000, TOTAL);
const SLICES = 20; // per block, each beside a control slice of the same size
const IN_FLIGHT = 16;
const MIN = 60_000;

interface World {
  store: Store;
  ctx: EngineContext;
  body: Record<string, string>;
  setNow(t: number): void;
  close(): void;
}

/** A store with the demo workspace, WAL checkpoints and the background maintenance running, as boot() has them. */
async function world(label: string): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), `sso-desk-bench-${label}-`));
  const store = openStore(dir);
  const checkpoints = startCheckpoints(store);
  const { workspace } = demoWorkspace();
  for (const u of workspace.users) delete u.password; // scrypt is not what this measures
  await importWorkspace(store.db, fileKeySecretBox(dir), workspace);
  let now = Date.parse('2026-11-25T00:00:00Z');
  const ctx = {
    store,
    clock: { now: () => now },
    urls: { api: 'http://127.0.0.1:1', idp: null, passthrough: null },
    version: 'bench',
    log: () => {},
    audit: (e: Omit<Parameters<typeof appendAudit>[1], 'at'>) => void appendAudit(store.db, { ...e, at: now }),
  } as unknown as EngineContext;
  // As in the app: the audit log's mover and full-text indexer run behind the writes, so the log keeps
  // every event and issuance shares the event loop with its upkeep. Pruning is started by the slices
  // (its timer is set beyond the run).
  const maintenance = startMaintenance(store.db, ctx.clock, (l) => console.error(l), { pruneEveryMs: 24 * 60 * MIN });
  const acme = workspace.accounts.find((a) => a.id === 'acme')!;
  const bot = workspace.bots.find((b) => b.id === 'helpdesk')!;
  return {
    store,
    ctx,
    body: {
      AccountAPIKey: acme.apiKey as string,
      BotAPIKey: bot.apiKey as string,
      BotAPISecret: bot.apiSecret as string,
      Email: 'carol@acme.test',
    },
    setNow: (t) => (now = t),
    close: () => {
      maintenance.stop();
      checkpoints.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Issues `n` tokens, `IN_FLIGHT` at a time; returns the time taken (ms). */
async function issue(w: World, n: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await issueSsoToken(w.ctx, w.body, 'http://127.0.0.1:1');
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return performance.now() - started;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Issues one slice and brings the world's background work up to date, all inside the slice's time. */
async function slice(w: World, n: number, prune: boolean, reports: PruneReport[]): Promise<number> {
  const started = performance.now();
  // The pruning pass works alongside the issuance, as in the app; it is awaited before the slice ends,
  // so none of it runs during the other world's slice.
  const pass = prune ? pruneExpired(w.store.db, w.ctx.clock.now()) : null;
  await issue(w, n);
  if (pass) reports.push(await pass);
  // The audit upkeep's share: what its runs have not moved and indexed yet is done now, on this side.
  while (flushAuditInbox(w.store.db, 2500) + indexAuditText(w.store.db, 5000) > 0);
  return performance.now() - started;
}

const sum = (reports: PruneReport[], key: 'deleted' | 'batches') =>
  reports.reduce((n, r) => n + Object.values(r[key]).reduce((a, b) => a + b, 0), 0);

async function main(): Promise<void> {
  const grown = await world('growth');
  let now = Date.parse('2026-11-25T00:00:00Z');
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `# ${TOTAL.toLocaleString('en')} tokens, clock +61 min every ${BLOCK.toLocaleString('en')}, ${IN_FLIGHT} in flight · ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  );
  console.log(
    `# each block in ${SLICES} slices alternating with as many into a fresh store (the control: a block 1 run again, next to every block)`,
  );
  console.log(
    `# a slice's time includes its audit upkeep and, for the grown store, the pruning pass; load average before: ${load()}\n`,
  );
  console.log(
    '| block | tokens issued | rows in sso_tokens | tokens/s | control tokens/s | ÷ control | median slice ÷ control | rows pruned | prune batches |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const relative: number[] = [];
  let issued = 0;
  for (let b = 1; issued < TOTAL; b++) {
    const end = Math.min(TOTAL, issued + BLOCK);
    const n = Math.round((end - issued) / SLICES);
    const control = await world('control');
    let blockMs = 0;
    let controlMs = 0;
    const sliceRatios: number[] = [];
    const reports: PruneReport[] = [];
    for (let s = 0; s < SLICES; s++) {
      // A B B A …: which side goes first flips every slice.
      const first = s % 2 === 0;
      const ms1 = first ? await slice(grown, n, true, reports) : await slice(control, n, false, reports);
      const ms2 = first ? await slice(control, n, false, reports) : await slice(grown, n, true, reports);
      const [g, c] = first ? [ms1, ms2] : [ms2, ms1];
      blockMs += g;
      controlMs += c;
      sliceRatios.push(c / g);
    }
    control.close();
    const rate = (n * SLICES) / (blockMs / 1000);
    const controlRate = (n * SLICES) / (controlMs / 1000);
    // The block's whole time (pruning included) against the control's whole time, in the same seconds.
    const ratio = rate / controlRate;
    relative.push(ratio);
    issued = end;
    console.log(
      `| ${b} | ${issued.toLocaleString('en')} | ${countRows(grown.store.db, 'sso_tokens').toLocaleString('en')} | ${rate.toFixed(0)} | ${controlRate.toFixed(0)} | ${ratio.toFixed(2)} | ${median(sliceRatios).toFixed(2)} | ${sum(reports, 'deleted')} | ${sum(reports, 'batches')} |`,
    );
    now += 61 * MIN;
    grown.setNow(now);
  }
  await pruneExpired(grown.store.db, now);
  console.log(
    `\nafter the last jump: ${countRows(grown.store.db, 'sso_tokens')} rows in sso_tokens (every token expired), ${countRows(grown.store.db, 'audit_events').toLocaleString('en')} audit events kept`,
  );
  console.log(
    `last block ÷ control, against the first block's: **${(relative[relative.length - 1]! / relative[0]!).toFixed(2)}×** (${relative[0]!.toFixed(2)} → ${relative[relative.length - 1]!.toFixed(2)})`,
  );
  console.log(`# load average after: ${load()}`);
  grown.close();
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
