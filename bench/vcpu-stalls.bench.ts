/**
 * How often this machine stops a running thread for over a millisecond when the thread does nothing but
 * run: the control for every "over 1 ms" figure the other benches print (bench/growth's prune batches).
 *
 * On each CPU in turn (pinned with `taskset` where there is one) a thread reads the clock in a loop for
 * a few seconds, in windows of 2 ms. A window in which two readings lie over a millisecond apart is a
 * stall, and is put down to what the kernel can tell of it:
 * - switched: the thread was switched out (another thread had the core: /proc/thread-self/status);
 * - interrupted: not switched, but interrupts or softirqs ran on that CPU meanwhile (/proc/interrupts,
 *   /proc/softirqs: timers, the scheduler, I/O completions);
 * - unseen: neither. The guest kernel saw nothing happen, so the virtual CPU itself was not running:
 *   the hypervisor gave the physical core to something else (no guest, no app can prevent that).
 *   A lower bound: the guest's timer tick lands in about half the windows, and a stall of the virtual
 *   CPU in a window with a tick counts as interrupted.
 *
 *   node --import tsx bench/vcpu-stalls.bench.ts        (STALL_SECONDS=10 per CPU by default)
 *
 * Prints figures; passes or fails nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

const SECONDS = Number(process.env.STALL_SECONDS ?? 10);

/** The spinning child: plain JavaScript for `node -e`, printing one JSON line. */
const SPIN = `
const { openSync, readSync } = require('node:fs');
const buf = Buffer.alloc(65536);
const open = (f) => { try { return openSync(f, 'r'); } catch { return null; } };
const status = open('/proc/thread-self/status'), stat = open('/proc/thread-self/stat');
const irqs = open('/proc/interrupts'), softirqs = open('/proc/softirqs');
const text = (fd) => buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0));
const cpuNow = () => Number(text(stat).slice(text(stat).lastIndexOf(')') + 2).split(' ')[36]);
const switches = () => { const t = text(status); return Number(/\\nvoluntary_ctxt_switches:\\s+(\\d+)/.exec(t)[1]) + Number(/\\nnonvoluntary_ctxt_switches:\\s+(\\d+)/.exec(t)[1]); };
// The sum of one CPU's column of /proc/interrupts or /proc/softirqs.
const column = (fd, cpu) => { let n = 0; for (const line of text(fd).split('\\n').slice(1)) { const v = Number(line.trim().split(/\\s+/)[1 + cpu]); if (Number.isFinite(v)) n += v; } return n; };
const end = performance.now() + ${SECONDS} * 1000;
const r = { windows: 0, stalls: 0, switched: 0, interrupted: 0, unseen: 0, longestUnseenMs: 0 };
while (performance.now() < end) {
  const cpu = cpuNow(), s0 = switches(), i0 = column(irqs, cpu) + column(softirqs, cpu);
  const w0 = performance.now();
  let last = w0, gap = 0;
  while (last - w0 < 2) { const t = performance.now(); if (t - last > gap) gap = t - last; last = t; }
  r.windows++;
  if (gap <= 1) continue;
  r.stalls++;
  if (switches() !== s0 || cpuNow() !== cpu) r.switched++;
  else if (column(irqs, cpu) + column(softirqs, cpu) !== i0) r.interrupted++;
  else { r.unseen++; r.longestUnseenMs = Math.max(r.longestUnseenMs, gap); }
}
console.log(JSON.stringify(r));
`;

interface Spin {
  windows: number;
  stalls: number;
  switched: number;
  interrupted: number;
  unseen: number;
  longestUnseenMs: number;
}

function spin(cpu: number | null): Spin | string {
  const node = [process.execPath, '-e', SPIN];
  const r =
    cpu === null
      ? spawnSync(node[0]!, node.slice(1), { encoding: 'utf8' })
      : spawnSync('taskset', ['-c', String(cpu), ...node], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return (r.error?.message ?? r.stderr).trim().split('\n')[0] ?? 'failed';
  return JSON.parse(r.stdout) as Spin;
}

function main(): void {
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  console.log(
    `# a spinning thread, ${SECONDS} s ${pinned ? 'on each CPU (taskset)' : 'unpinned (no taskset)'}, in windows of 2 ms · ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  );
  console.log(
    `# load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  console.log(
    '| CPU | windows | stalls over 1 ms | per second | switched out | interrupts or softirqs | **unseen by the guest** | longest unseen ms |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const cpu of pinned ? cpus().map((_, i) => i) : [null]) {
    const r = spin(cpu);
    if (typeof r === 'string') {
      console.log(`| ${cpu ?? 'any'} | ${r} | | | | | | |`);
      continue;
    }
    console.log(
      `| ${cpu ?? 'any'} | ${r.windows.toLocaleString('en')} | ${r.stalls} | ${(r.stalls / SECONDS).toFixed(2)} | ${r.switched} | ${r.interrupted} | **${r.unseen}** | ${r.longestUnseenMs.toFixed(2)} |`,
    );
  }
  console.log(
    `\n# load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main();
