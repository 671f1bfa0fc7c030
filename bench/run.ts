// `npm run bench`: runs every bench/*.bench.ts in turn, each in its own process, and lets them print
// their figures. Benchmarks print numbers; they never pass or fail.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const only = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
console.log(
  `SSO Desk benchmarks — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
);
if (files.length === 0) console.log('no benchmarks yet');
for (const f of files) {
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${f} exited with ${r.status})`);
}
