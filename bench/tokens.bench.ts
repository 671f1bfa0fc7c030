/**
 * Token issuance over HTTP on loopback: SSO Desk's `POST /authorization/sso` side by side with
 * oidc-provider's token endpoint (client_credentials grant, opaque tokens), same machine, same run.
 *
 *   node --import tsx bench/tokens.bench.ts [--seconds 1] [--rounds 7] [--clients 1,16,64]
 *   npm run bench -- tokens          (the defaults, through bench/run.ts)
 *   BENCH_PROF=1 …                   also writes a CPU profile of the SSO Desk server to $TMPDIR/sso-desk-cpuprof
 *
 *   BENCH_WARMUP_MS=1000             the warm-up before each round (default 300)
 *   BENCH_GC=1                       the SSO Desk server counts its GC pauses and prints them as it stops
 *
 * Each server runs in its own child process (so the load generator does not share its event loop);
 * the load generator keeps `clients` keep-alive connections busy, one request in flight on each, for
 * `seconds` after a short warm-up. The two servers alternate in at least five rounds per concurrency
 * (see `alternate`), and the bench prints every round's ratios (throughput and p99) and their medians and
 * ranges beside req/s and p50/p99 for each. Prints figures; passes or fails nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, cpus, loadavg } from 'node:os';

const here = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------- servers (child processes)

async function serveDesk(): Promise<void> {
  const { openStore } = await import('../src/main/store/db');
  const { startApiServer } = await import('../src/main/server');
  const { importWorkspace } = await import('../src/main/engine/workspace/import');
  const { fileKeySecretBox } = await import('../src/main/engine/crypto/secret-box');
  const { demoWorkspace } = await import('../src/main/engine/workspace/demo');
  const { systemClock } = await import('../src/main/engine/context');
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-bench-'));
  const store = openStore(dir);
  // As boot() does: WAL checkpoints on a worker thread and the background maintenance whose cost issuance shares the event loop with (the audit
  // log's mover and full-text indexer, the pruning of expired rows).
  (await import('../src/main/store/checkpoints')).startCheckpoints(store);
  const { startMaintenance } = await import('../src/main/engine/maintenance/maintenance');
  startMaintenance(store.db, systemClock, () => {});
  const secrets = fileKeySecretBox(dir);
  const { workspace } = demoWorkspace();
  for (const u of workspace.users) delete u.password; // scrypt is not what this measures
  await importWorkspace(store.db, secrets, workspace);
  const urls = { api: null as string | null, idp: null, passthrough: null };
  const platform = {
    kind: 'browser' as const,
    dataDir: dir,
    secrets,
    prefs: {
      get: () => ({ theme: 'system' as const, lastAccount: null }),
      set: () => ({ theme: 'system' as const, lastAccount: null }),
    },
    openExternal: async () => {},
    deliverFile: async () => ({ kind: 'cancelled' as const }),
  };
  const { appendAudit } = await import('../src/main/store/audit');
  const ctx = {
    store,
    platform,
    urls,
    clock: systemClock,
    version: 'bench',
    log: () => {},
    audit: (e: Omit<Parameters<typeof appendAudit>[1], 'at'>) => void appendAudit(store.db, { ...e, at: Date.now() }),
  };
  const { url } = await startApiServer(ctx, 0);
  urls.api = url;
  const acme = workspace.accounts.find((a) => a.id === 'acme')!;
  const bot = workspace.bots.find((b) => b.id === 'helpdesk')!;
  const body = JSON.stringify({
    AccountAPIKey: acme.apiKey,
    BotAPIKey: bot.apiKey,
    BotAPISecret: bot.apiSecret,
    Email: 'carol@acme.test',
  });
  process.stdout.write(`${JSON.stringify({ url: `${url}/authorization/sso`, body, type: 'application/json' })}\n`);
  const gcs: number[] = [];
  if (process.env.BENCH_GC)
    new (await import('node:perf_hooks')).PerformanceObserver((l) =>
      l.getEntries().forEach((e) => gcs.push(e.duration)),
    ).observe({ entryTypes: ['gc'] });
  process.on('SIGTERM', () => {
    if (process.env.BENCH_GC)
      process.stderr.write(
        `desk gc: ${gcs.length} pauses, total ${gcs.reduce((a, b) => a + b, 0).toFixed(0)} ms, over 0.3 ms: ${gcs.filter((d) => d > 0.3).length}, over 1 ms: ${gcs.filter((d) => d > 1).length}, uptime ${process.uptime().toFixed(0)} s\n`,
      );
    store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

async function serveOidc(): Promise<void> {
  // oidc-provider ships no types; the import goes through a variable so this script typechecks alone.
  const moduleName = 'oidc-provider';
  const { default: Provider } = (await import(moduleName)) as {
    default: new (
      issuer: string,
      config: Record<string, unknown>,
    ) => { callback(): (req: unknown, res: unknown) => void };
  };
  const { createServer } = await import('node:http');
  const clientSecret = 'bench-secret-0123456789abcdef0123456789abcdef';
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: 'bench',
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    // Opaque access tokens (the default without a resource indicator), kept by the default in-memory adapter.
    ttl: { ClientCredentials: 3600 },
  });
  server.on('request', provider.callback());
  const body = 'grant_type=client_credentials';
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${port}/token`, body, type: 'application/x-www-form-urlencoded', auth: `Basic ${Buffer.from(`bench:${clientSecret}`).toString('base64')}` })}\n`,
  );
  process.on('SIGTERM', () => process.exit(0));
}

// ---------------------------------------------------------------- load generator

interface Target {
  url: string;
  body: string;
  type: string;
  auth?: string;
}

function startChild(mode: string): Promise<{ child: ChildProcess; target: Target }> {
  const child = spawn(
    process.execPath,
    [
      ...(mode === 'desk' && process.env.BENCH_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${join(tmpdir(), 'sso-desk-cpuprof')}`]
        : []),
      '--import',
      'tsx',
      here,
      '--serve',
      mode,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, target: JSON.parse(out.slice(0, nl)) as Target });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

function once(agent: Agent, t: Target, u: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      'Content-Type': t.type,
      'Content-Length': Buffer.byteLength(t.body),
    };
    if (t.auth) headers.Authorization = t.auth;
    const req = request({ agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(t.body);
  });
}

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 300);

async function load(t: Target, clients: number, seconds: number): Promise<Cell> {
  const u = new URL(t.url);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const t0 = performance.now();
      const status = await once(agent, t, u);
      const dt = performance.now() - t0;
      if (!measuring) continue;
      if (status !== 200) errors++;
      latencies.push(dt);
    }
  };
  const workers = Array.from({ length: clients }, worker);
  await new Promise((r) => setTimeout(r, WARMUP_MS)); // warm-up: JIT, statement cache, connections
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  const n = latencies.length;
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(n - 1, Math.floor((p / 100) * n))] ?? NaN;
  return { rps: n / elapsed, p50: pct(50), p99: pct(99), errors, n };
}

interface Cell {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  n: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * One concurrency level as alternating rounds, A B B A A B B A …: SSO Desk and the peer take turns, and
 * which one goes first flips every round, so a drift of the machine (another process starting, a
 * thermal or scheduler change) lands on both sides. Each round's ratio is printed, then the median and
 * range of the ratios: the figure a noisy machine cannot flip is the median, not one cell.
 */
async function alternate(desk: Target, peer: Target, clients: number, seconds: number, rounds: number): Promise<void> {
  const ratios: number[] = [];
  const tails: number[] = []; // A p99 ÷ B p99, round by round: ≤ 1 is "no worse than the peer"
  const deskRuns: Cell[] = [];
  const peerRuns: Cell[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['desk', 'peer'] as const) : (['peer', 'desk'] as const);
    const got: Partial<Record<'desk' | 'peer', Cell>> = {};
    for (const who of order) got[who] = await load(who === 'desk' ? desk : peer, clients, seconds);
    deskRuns.push(got.desk!);
    peerRuns.push(got.peer!);
    const ratio = got.desk!.rps / got.peer!.rps;
    ratios.push(ratio);
    const tail = got.desk!.p99 / got.peer!.p99;
    tails.push(tail);
    console.log(
      `| ${clients} | ${r + 1} | ${order[0] === 'desk' ? 'A B' : 'B A'} | ${got.desk!.rps.toFixed(0)} | ${got.desk!.p50.toFixed(2)} | ` +
        `${got.desk!.p99.toFixed(2)} | ${got.peer!.rps.toFixed(0)} | ${got.peer!.p50.toFixed(2)} | ${got.peer!.p99.toFixed(2)} | ` +
        `${ratio.toFixed(2)}× | ${tail.toFixed(2)}× | ${got.desk!.errors + got.peer!.errors} |`,
    );
  }
  const med = (xs: Cell[], k: keyof Cell) => median(xs.map((x) => x[k]));
  summary.push(
    `| ${clients} | **${median(ratios).toFixed(2)}×** | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}× | ` +
      `**${median(tails).toFixed(2)}×** | ${Math.min(...tails).toFixed(2)}–${Math.max(...tails).toFixed(2)}× | ` +
      `${med(deskRuns, 'rps').toFixed(0)} | ${med(deskRuns, 'p50').toFixed(2)} | ${med(deskRuns, 'p99').toFixed(2)} | ` +
      `${med(peerRuns, 'rps').toFixed(0)} | ${med(peerRuns, 'p50').toFixed(2)} | ${med(peerRuns, 'p99').toFixed(2)} |`,
  );
}

const summary: string[] = [];

async function main(): Promise<void> {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1]! : dflt;
  };
  const seconds = Number(arg('--seconds', '1'));
  const rounds = Math.max(5, Number(arg('--rounds', '7')));
  const levels = arg('--clients', '1,16,64').split(',').map(Number);
  const desk = await startChild('desk');
  const oidc = await startChild('oidc');
  console.log(
    `# token issuance on loopback · ${new Date().toISOString()} · Node ${process.version} · ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'})`,
  );
  console.log(
    `# A = SSO Desk POST /authorization/sso, B = oidc-provider 9 POST /token (client_credentials), each in its own process`,
  );
  console.log(
    `# ${rounds} alternating rounds per concurrency, ${seconds} s each after a ${WARMUP_MS} ms warm-up; A/B is req/s (≥ 1 is ahead), p99 A/B is the tail (≤ 1 is no worse); load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  console.log(
    '| clients | round | order | A req/s | A p50 ms | A p99 ms | B req/s | B p50 ms | B p99 ms | A/B | p99 A/B | non-200 |',
  );
  console.log('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  try {
    for (const c of levels) await alternate(desk.target, oidc.target, c, seconds, rounds);
    console.log(
      '\n| clients | median A/B (req/s) | range | median p99 A/B | range | A req/s | A p50 | A p99 | B req/s | B p50 | B p99 |',
    );
    console.log('|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|');
    for (const line of summary) console.log(line);
    console.log(
      `\n# (medians over the rounds) load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    desk.child.kill('SIGTERM');
    oidc.child.kill('SIGTERM');
  }
}

const serve = process.argv.indexOf('--serve');
if (serve >= 0) {
  const mode = process.argv[serve + 1];
  void (mode === 'desk' ? serveDesk() : serveOidc()).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
} else {
  void main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
