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
 * it lands on the other side: the pruner's pass (kicked as the slice starts, awaited before it ends) and
 * what the audit upkeep has not moved and indexed yet. What growth costs is the block's rate ÷ the
 * control's; the aim compares that figure for the last block with the first.
 *
 *   node --import tsx bench/growth.bench.ts            (GROWTH_TOKENS=200000 for a shorter run)
 *   BENCH_MAIN_RESTARTS=1 …                            the main connection starts the WAL over (as before round 5)
 *   BENCH_NO_STEP_ASIDE=1 …                            prune batches run while the checkpointer syncs (as before round 7)
 *
 * Prints figures; passes or fails nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../src/main/store/db';
import { startCheckpointer, walWindow, type Checkpointer } from '../src/main/store/checkpointer';
import { importWorkspace } from '../src/main/engine/workspace/import';
import { fileKeySecretBox } from '../src/main/engine/crypto/secret-box';
import { demoWorkspace } from '../src/main/engine/workspace/demo';
import { issueSsoToken } from '../src/main/engine/tokens/issue-sso';
import {
  BATCH_BUDGET_MS,
  startPruner,
  switchesBetween,
  type Pruner,
  type SlowBatch,
  type ThreadSwitches,
} from '../src/main/engine/maintenance/pruner';
import { startAuditTextIndexer } from '../src/main/engine/audit/text-indexer';
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

/** A store with the demo workspace, the checkpointer and the audit upkeep running, as boot() has them. */
async function world(label: string): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), `sso-desk-bench-${label}-`));
  const store = openStore(dir);
  const checkpoints: Checkpointer = startCheckpointer(
    store,
    25,
    process.env.BENCH_MAIN_RESTARTS ? 'main' : 'worker',
    !process.env.BENCH_NO_STEP_ASIDE,
  );
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
  // every event and issuance shares the event loop with its upkeep.
  const auditUpkeep = startAuditTextIndexer(store.db, (l) => console.error(l));
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
      auditUpkeep.stop();
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

/**
 * Three stall probes, taking turns every 2 ms while tokens are issued and pruned, whose "over a
 * millisecond" the prune batches' is read against:
 * - cpu: a fixed piece of hashing calibrated to about 0.3 ms, which does no I/O: how often this machine
 *   stalls a short synchronous step whatever the step is;
 * - commit: a one-row write committed on its own into the same store (the same WAL, the same
 *   checkpointer), the smallest write transaction there is;
 * - pages: a write of six pages committed on its own (six rows of 3 KB, one to a page): what a prune
 *   batch of 64–128 rows writes to the WAL (6–8 frames), so how often any write of a batch's size meets
 *   a stall of the file system or the scheduler, whoever writes it.
 */
interface Probe {
  runs: number;
  over: number;
  /** Of the runs over 1 ms, those in which the thread was not switched out (when switches are counted). */
  onCore: number;
  /** Of the runs over 1 ms, those over 1 ms even without the time the thread waited for a core (when it is counted). */
  ownOver: number;
}
type Probes = { start(): void; stop(): void; cpu: Probe; commit: Probe; pages: Probe };
function stallProbes(db: Store['db'], switches: (() => ThreadSwitches) | null): Probes {
  const unit = (rounds: number) => {
    let h = createHash('sha256');
    for (let i = 0; i < rounds; i++) h = createHash('sha256').update(h.digest());
  };
  let rounds = 1000;
  for (let tries = 0; tries < 5; tries++) {
    const t0 = performance.now();
    unit(rounds);
    const ms = performance.now() - t0;
    rounds = Math.max(10, Math.round((rounds * 0.3) / Math.max(ms, 0.01)));
  }
  db.exec('CREATE TABLE IF NOT EXISTS bench_probe (id INTEGER PRIMARY KEY, n INTEGER, pad BLOB)');
  db.exec('INSERT OR IGNORE INTO bench_probe (id, n) VALUES (1, 0)');
  for (let id = 2; id <= 7; id++)
    db.prepare('INSERT OR IGNORE INTO bench_probe (id, n, pad) VALUES (?, 0, zeroblob(3000))').run(id);
  const touch = db.prepare('UPDATE bench_probe SET n = n + 1 WHERE id = 1');
  const touchPages = db.prepare('UPDATE bench_probe SET n = n + 1 WHERE id BETWEEN 2 AND 7');
  let timer: NodeJS.Timeout | undefined;
  const timed = (p: Probe, fn: () => void) => {
    const before = switches?.();
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    p.runs++;
    if (ms <= BATCH_BUDGET_MS) return;
    p.over++;
    const now = before && switches?.();
    if (!before || !now) return;
    const d = switchesBetween(before, now);
    if (d.voluntary === 0 && d.involuntary === 0) p.onCore++;
    if (d.runQueueMs !== undefined && ms - d.runQueueMs > BATCH_BUDGET_MS) p.ownOver++;
  };
  const probes: Probes = {
    cpu: { runs: 0, over: 0, onCore: 0, ownOver: 0 },
    commit: { runs: 0, over: 0, onCore: 0, ownOver: 0 },
    pages: { runs: 0, over: 0, onCore: 0, ownOver: 0 },
    start() {
      let turn = 0;
      timer = setInterval(() => {
        const which = turn++ % 3;
        if (which === 0) timed(probes.cpu, () => unit(rounds));
        // The writes are held like every other write while the WAL gets its restart window.
        else if (walWindow(db)) return;
        else if (which === 1) timed(probes.commit, () => touch.run());
        else timed(probes.pages, () => touchPages.run());
      }, 2);
    },
    stop() {
      clearInterval(timer);
    },
  };
  return probes;
}

/**
 * The main thread's context switches so far, from /proc/thread-self/status, and the time it has spent
 * waiting for a core, from /proc/thread-self/schedstat (its second figure, the scheduler's run_delay in
 * ns; Linux; null elsewhere). Both files stay open and are read again from offset 0, two system calls,
 * about 10 µs each, before and after each batch and probe, outside the time measured.
 */
function threadSwitchCounter(): (() => ThreadSwitches) | null {
  let status: number;
  let schedstat: number | null = null;
  try {
    status = openSync('/proc/thread-self/status', 'r');
  } catch {
    return null;
  }
  try {
    schedstat = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    // Kernels without CONFIG_SCHED_INFO: context switches only.
  }
  const buf = Buffer.alloc(4096);
  return () => {
    const text = buf.toString('latin1', 0, readSync(status, buf, 0, buf.length, 0));
    const counted: ThreadSwitches = {
      voluntary: Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(text)?.[1] ?? 0),
      involuntary: Number(/\nnonvoluntary_ctxt_switches:\s+(\d+)/.exec(text)?.[1] ?? 0),
    };
    if (schedstat !== null) {
      const waitNs = buf.toString('latin1', 0, readSync(schedstat, buf, 0, buf.length, 0)).split(' ')[1];
      if (waitNs) counted.runQueueMs = Number(waitNs) / 1e6;
    }
    return counted;
  };
}

/** Issues one slice and brings the world's background work up to date, all inside the slice's time. */
async function slice(
  w: World,
  n: number,
  pruner: Pruner | null,
  probe: { start(): void; stop(): void } | null,
): Promise<number> {
  const started = performance.now();
  probe?.start();
  // The pruner works alongside the issuance, as in the app; its pass is awaited before the slice ends,
  // so none of it runs during the other world's slice.
  const pass = pruner?.kick();
  await issue(w, n);
  await pass;
  probe?.stop();
  // The audit upkeep's share: what its runs have not moved and indexed yet is done now, on this side,
  // in the upkeep's own batches and keeping to the WAL's restart windows as its runs do.
  for (;;) {
    const hold = walWindow(w.store.db);
    if (hold) await hold;
    if (flushAuditInbox(w.store.db, 2500) + indexAuditText(w.store.db, 5000) === 0) break;
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  const grown = await world('growth');
  let now = Date.parse('2026-11-25T00:00:00Z');
  const clock = grown.ctx.clock;
  // Kicked at the start of each of the grown store's slices (see slice()), never by its timer.
  // The context switches around each batch tell a batch that was slow from one the kernel stopped.
  const switches = threadSwitchCounter();
  const runQueueCounted = switches?.().runQueueMs !== undefined;
  const pruner = startPruner(
    grown.store.db,
    clock,
    (l) => console.error(l),
    24 * 60 * MIN,
    undefined,
    switches ? { switches } : {},
  );
  const probe = stallProbes(grown.store.db, switches);

  console.log(
    `# ${TOTAL.toLocaleString('en')} tokens, clock +61 min every ${BLOCK.toLocaleString('en')}, ${IN_FLIGHT} in flight · ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  );
  console.log(
    `# each block in ${SLICES} slices alternating with as many into a fresh store (the control: a block 1 run again, next to every block)`,
  );
  console.log(
    `# a slice's time includes its audit upkeep and, for the grown store, the pruner's pass; load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  console.log(
    '| block | tokens issued | rows in sso_tokens | tokens/s | control tokens/s | ÷ control | median slice ÷ control | prune batches | over 1 ms | longest batch ms | most rows in a batch |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const relative: number[] = [];
  let issued = 0;
  let longest = 0;
  let batches = 0;
  let over = 0;
  const slow: SlowBatch[] = [];
  // Garbage-collection pauses of this process, to tell a batch that was slow from one that a GC paused.
  const gcs: Array<{ start: number; end: number }> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  for (let b = 1; issued < TOTAL; b++) {
    const end = Math.min(TOTAL, issued + BLOCK);
    const n = Math.round((end - issued) / SLICES);
    const control = await world('control');
    // The control's slices carry the same probes (their cost lands on both sides alike); its figures are not printed.
    const controlProbe = stallProbes(control.store.db, switches);
    let blockMs = 0;
    let controlMs = 0;
    const sliceRatios: number[] = [];
    for (let s = 0; s < SLICES; s++) {
      // A B B A …: which side goes first flips every slice.
      const first = s % 2 === 0;
      const ms1 = first ? await slice(grown, n, pruner, probe) : await slice(control, n, null, controlProbe);
      const ms2 = first ? await slice(control, n, null, controlProbe) : await slice(grown, n, pruner, probe);
      const [g, c] = first ? [ms1, ms2] : [ms2, ms1];
      blockMs += g;
      controlMs += c;
      sliceRatios.push(c / g);
    }
    control.close();
    const rate = (n * SLICES) / (blockMs / 1000);
    const controlRate = (n * SLICES) / (controlMs / 1000);
    // The block's whole time (pruning included, however it fell across the slices) against the
    // control's whole time, measured in the same seconds.
    const ratio = rate / controlRate;
    relative.push(ratio);
    issued = end;
    const report = pruner.drainStats();
    longest = Math.max(longest, report.longestBatchMs);
    batches += report.batches;
    over += report.overBudget;
    slow.push(...report.slowBatches);
    console.log(
      `| ${b} | ${issued.toLocaleString('en')} | ${countRows(grown.store.db, 'sso_tokens').toLocaleString('en')} | ${rate.toFixed(0)} | ${controlRate.toFixed(0)} | ${ratio.toFixed(2)} | ${median(sliceRatios).toFixed(2)} | ${report.batches} | ${report.overBudget} | ${report.longestBatchMs.toFixed(2)} | ${report.largestBatchRows} |`,
    );
    now += 61 * MIN;
    grown.setNow(now);
  }
  await pruner.kick();
  gcObserver.disconnect();
  console.log(
    `\nafter the last jump: ${countRows(grown.store.db, 'sso_tokens')} rows in sso_tokens (every token expired), ${countRows(grown.store.db, 'audit_events').toLocaleString('en')} audit events kept`,
  );
  console.log(
    `last block ÷ control, against the first block's: **${(relative[relative.length - 1]! / relative[0]!).toFixed(2)}×** (${relative[0]!.toFixed(2)} → ${relative[relative.length - 1]!.toFixed(2)})`,
  );
  const paused = slow.filter((x) => gcs.some((g) => g.start < x.at + x.ms && g.end > x.at));
  const own = slow.filter((x) => !paused.includes(x));
  console.log(
    `prune batches: ${batches.toLocaleString('en')}, of which over ${BATCH_BUDGET_MS} ms: ${over} (${((100 * over) / Math.max(1, batches)).toFixed(2)} %); longest ${longest.toFixed(2)} ms`,
  );
  const share = (p: Probe) =>
    `${p.runs.toLocaleString('en')} runs, over ${BATCH_BUDGET_MS} ms: ${p.over} (${((100 * p.over) / Math.max(1, p.runs)).toFixed(2)} %)${switches ? `, ${p.onCore} of them on the core throughout` : ''}${runQueueCounted ? `, ${p.ownOver} over ${BATCH_BUDGET_MS} ms without the wait for a core` : ''}`;
  console.log(
    `stall probes beside them (in turn every 2 ms, same slices): 0.3 ms of hashing, ${share(probe.cpu)}; a one-row commit, ${share(probe.commit)}; a six-page commit, ${share(probe.pages)}`,
  );
  console.log(
    `of the ${slow.length} batches over ${BATCH_BUDGET_MS} ms recorded: ${paused.length} ran into a garbage-collection pause of the process (${gcs.length} pauses in the run, longest ${Math.max(0, ...gcs.map((g) => g.end - g.start)).toFixed(2)} ms); ` +
      `${own.length} did not${own.length ? `, longest ${Math.max(...own.map((x) => x.ms)).toFixed(2)} ms` : ''}`,
  );
  if (switches) {
    // Which of them the kernel stopped: given the core to another thread (involuntary switch), or held
    // in a system call (voluntary: a WAL write waiting while the checkpointer syncs the same file).
    const preempted = own.filter((x) => (x.switches?.involuntary ?? 0) > 0);
    const waited = own.filter((x) => !preempted.includes(x) && (x.switches?.voluntary ?? 0) > 0);
    const ran = own.filter((x) => !preempted.includes(x) && !waited.includes(x));
    const longestOf = (xs: SlowBatch[]) =>
      xs.length ? `, longest ${Math.max(...xs.map((x) => x.ms)).toFixed(2)} ms` : '';
    console.log(
      `of the ${own.length} without a GC pause: ${preempted.length} lost the core to another thread mid-batch${longestOf(preempted)}; ` +
        `${waited.length} waited in a system call${longestOf(waited)}; **${ran.length} ran on the core throughout**${longestOf(ran)}` +
        (ran.length ? ` (${ran.map((x) => `${x.ms.toFixed(2)} ms/${x.rows} rows`).join(', ')})` : ''),
    );
  }
  if (runQueueCounted) {
    // A batch's own time: its time less what the thread spent runnable but waiting for a core (the
    // scheduler's run_delay). While the thread waits for a core no request runs on it either, batch or
    // no batch; what is left is the batch's work and its waits in system calls, what a request behind it
    // waits for because of it.
    const ownMs = (x: SlowBatch) => x.ms - (x.switches?.runQueueMs ?? 0);
    const ownOver = own.filter((x) => ownMs(x) > BATCH_BUDGET_MS);
    console.log(
      `their own time (less the thread's wait for a core, from /proc/thread-self/schedstat): **${ownOver.length} of the ${own.length} over ${BATCH_BUDGET_MS} ms**` +
        (ownOver.length
          ? ` (${ownOver.map((x) => `${x.ms.toFixed(2)} ms, ${ownMs(x).toFixed(2)} own, ${x.switches?.voluntary ?? 0} waits in a system call, ${x.rows} rows`).join('; ')})`
          : `; the longest own time among them ${Math.max(0, ...own.map(ownMs)).toFixed(2)} ms`),
    );
  }
  console.log(
    `# load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  pruner.stop();
  grown.close();
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
