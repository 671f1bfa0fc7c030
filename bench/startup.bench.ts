/**
 * Start-up and memory of the browser host (`node out/main/host.js`, what `npm start` serves where no
 * Electron binary is installed): the time from launch to the ready line on a fresh data dir (demo world
 * seeded) and on an existing one, resident memory after start, and after 100,000 tokens issued over HTTP.
 * Aims (issue #13): ready under 2 s fresh and 1 s existing, under 150 MB resident.
 *
 *   npm run build && node --import tsx bench/startup.bench.ts     (STARTUP_TOKENS=20000 for a shorter run)
 *
 * Prints figures; passes or fails nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoWorkspace } from '../src/main/engine/workspace/demo';

const HOST = 'out/main/host.js';
const TOKENS = Number(process.env.STARTUP_TOKENS ?? 100_000);
const RUNS = 5;

interface Launched {
  child: ChildProcess;
  ms: number;
  /** CPU time (user + system) the process had used when it printed the ready line: less load-sensitive. */
  cpuMs: number;
  ready: { api: string };
}

function launch(args: string[]): Promise<Launched> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [HOST, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0)
        resolve({
          child,
          ms: performance.now() - t0,
          cpuMs: cpuMs(child.pid!),
          ready: JSON.parse(out.slice(0, nl)) as { api: string },
        });
    });
    child.on('exit', (code) => reject(new Error(`host exited with ${code}: ${err}`)));
  });
}

const stop = (l: Launched) =>
  new Promise<void>((resolve) => {
    l.child.removeAllListeners('exit');
    l.child.on('exit', () => resolve());
    l.child.kill('SIGTERM');
  });

/** utime + stime of a process in ms (Linux, /proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** Resident set size of a process, in MB (Linux). */
const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/\d+/)?.[0] ?? NaN) / 1024;
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function issue(api: string, body: string, n: number, clients: number): Promise<number> {
  const u = new URL(`${api}/authorization/sso`);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          if (res.statusCode !== 200) errors++;
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) {
        next++;
        await one();
      }
    }),
  );
  agent.destroy();
  return errors;
}

async function main(): Promise<void> {
  if (!existsSync(HOST)) {
    console.log(`${HOST} is missing: run \`npm run build\` first`);
    return;
  }
  console.log(
    `# browser host start-up and memory · ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  );
  console.log(
    `# load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${RUNS} launches each, median (min–max)\n`,
  );
  const fresh: number[] = [];
  const existing: number[] = [];
  const freshCpu: number[] = [];
  const existingCpu: number[] = [];
  const rssStart: number[] = [];
  const dirs: string[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'sso-desk-bench-start-'));
      dirs.push(dir);
      const a = await launch(['--data-dir', dir]);
      fresh.push(a.ms);
      freshCpu.push(a.cpuMs);
      await stop(a);
      const b = await launch(['--data-dir', dir]);
      existing.push(b.ms);
      existingCpu.push(b.cpuMs);
      await new Promise((r) => setTimeout(r, 500)); // let start-up garbage settle before reading RSS
      rssStart.push(rssMb(b.child.pid!));
      await stop(b);
    }
    const f = (xs: number[], unit: string, digits = 0) =>
      `${median(xs).toFixed(digits)} ${unit} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
    console.log('| measure | figure | aim |');
    console.log('|---|---:|---:|');
    console.log(`| launch → ready line, fresh data dir (demo world seeded) | ${f(fresh, 'ms')} | < 2000 ms |`);
    console.log(`| launch → ready line, existing data dir | ${f(existing, 'ms')} | < 1000 ms |`);
    console.log(`| CPU time used by then, fresh / existing | ${f(freshCpu, 'ms')} / ${f(existingCpu, 'ms')} | |`);
    console.log(`| resident memory after start (existing data dir) | ${f(rssStart, 'MB', 1)} | < 150 MB |`);

    // 100,000 tokens over HTTP, into a data dir with known keys (imported without passwords: no scrypt).
    const dir = mkdtempSync(join(tmpdir(), 'sso-desk-bench-start-'));
    dirs.push(dir);
    const { workspace } = demoWorkspace();
    for (const u of workspace.users) delete u.password;
    const file = join(dir, 'workspace.json');
    writeFileSync(file, JSON.stringify(workspace));
    const l = await launch(['--data-dir', join(dir, 'data'), '--import', file]);
    await new Promise((r) => setTimeout(r, 500));
    const before = rssMb(l.child.pid!);
    const acme = workspace.accounts.find((a) => a.id === 'acme')!;
    const bot = workspace.bots.find((b) => b.id === 'helpdesk')!;
    const body = JSON.stringify({
      AccountAPIKey: acme.apiKey,
      BotAPIKey: bot.apiKey,
      BotAPISecret: bot.apiSecret,
      Email: 'carol@acme.test',
    });
    const t0 = performance.now();
    const errors = await issue(l.ready.api, body, TOKENS, 16);
    const secs = (performance.now() - t0) / 1000;
    const after = rssMb(l.child.pid!);
    await stop(l);
    console.log(`| resident memory before issuing (imported data dir) | ${before.toFixed(1)} MB | < 150 MB |`);
    console.log(
      `| resident memory after ${TOKENS.toLocaleString('en')} tokens over HTTP (16 clients, ${(TOKENS / secs).toFixed(0)} req/s, ${errors} non-200) | ${after.toFixed(1)} MB | < 150 MB |`,
    );
    console.log(
      `\n# load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
