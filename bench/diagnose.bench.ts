/**
 * Inspector › Diagnose on a big HAR: how fast the HAR scanner reads a file, and how much memory it
 * takes, on the `--diagnose` path (a file stream in 1 MiB chunks, as the console reads a dropped file).
 *
 *   node --import tsx bench/diagnose.bench.ts [--mb 200]
 *   npm run bench -- diagnose
 *
 * Writes a synthetic capture of about `mb` MB to a temp file (page traffic: scripts, HTML, JSON, base64
 * images, with one real-looking OIDC sign-in in the middle), then reads and diagnoses it, sampling the
 * process's RSS. Aims (issue 22): at least 50 MB/s, memory at most 2× the file's size. Prints figures;
 * passes or fails nothing.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { HarScanner } from '../src/shared/har-scan';
import { diagnose } from '../src/main/engine/inspect/diagnose';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const targetMb = arg('mb', 200);

const entry = (i: number, url: string, mime: string, text: string, encoding?: string, status = 200) =>
  JSON.stringify({
    startedDateTime: new Date(Date.UTC(2026, 11, 5, 9, 0, 0) + i * 10).toISOString(),
    time: 12,
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/2',
      headers: [
        { name: 'accept', value: '*/*' },
        { name: 'user-agent', value: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0' },
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status,
      statusText: 'OK',
      httpVersion: 'HTTP/2',
      headers: [
        { name: 'content-type', value: mime },
        { name: 'date', value: new Date(Date.UTC(2026, 11, 5, 9, 0, 0) + i * 10).toUTCString() },
      ],
      cookies: [],
      content: { size: text.length, mimeType: mime, text, ...(encoding ? { encoding } : {}) },
      redirectURL: '',
      headersSize: -1,
      bodySize: text.length,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 2 },
  });

async function writeHar(file: string): Promise<number> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const js = `function f(a){return a+"\\"quoted\\"";}\n`.repeat(800);
  const html = `<div class="row"><a href="/p?x=1&y=2">link</a></div>\n`.repeat(600);
  const json = JSON.stringify({ items: Array.from({ length: 300 }, (_, k) => ({ id: k, name: `item ${k}` })) });
  const png = Buffer.alloc(48 * 1024, 7).toString('base64');
  await write('{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[');
  let bytes = 0;
  let i = 0;
  const target = targetMb * 1024 * 1024;
  while (bytes < target) {
    const kind = i % 4;
    let e: string;
    if (i === 2000) {
      e = entry(
        i,
        'https://login.example.com/oauth2/v1/authorize?client_id=abc&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=s1&nonce=n1',
        'text/html',
        html,
      );
    } else if (i === 2001) {
      e = entry(i, 'https://app.example.com/cb?code=c0de&state=s2', 'text/html', 'ok');
    } else if (kind === 0) e = entry(i, `https://cdn.example.com/app/chunk-${i}.js`, 'application/javascript', js);
    else if (kind === 1) e = entry(i, `https://app.example.com/page/${i}`, 'text/html', html);
    else if (kind === 2) e = entry(i, `https://api.example.com/items?page=${i}`, 'application/json', json);
    else e = entry(i, `https://cdn.example.com/img/${i}.png`, 'image/png', png, 'base64');
    const piece = (i === 0 ? '' : ',') + e;
    await write(piece);
    bytes += piece.length;
    i++;
  }
  await write(']}}');
  out.end();
  await once(out, 'finish');
  return i;
}

const dir = mkdtempSync(join(tmpdir(), 'sso-desk-bench-diagnose-'));
try {
  const file = join(dir, 'big.har');
  const entries = await writeHar(file);
  const size = statSync(file).size;
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const scanner = new HarScanner();
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    scanner.push(chunk as string);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const scan = scanner.finish();
  const t1 = performance.now();
  const d = await diagnose(
    { text: '-' },
    { accounts: [], scanned: { kind: scan.kind, entries: scan.entries, notes: scan.notes, total: scan.total } },
  );
  const t2 = performance.now();
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = size / 1024 / 1024;
  console.log(`file: ${mb.toFixed(1)} MiB, ${entries} entries (${scan.entries.length} kept as sign-in traffic)`);
  console.log(
    `read + scan: ${((t1 - t0) / 1000).toFixed(2)} s = ${(mb / ((t1 - t0) / 1000)).toFixed(0)} MiB/s (aim ≥ 50)`,
  );
  console.log(
    `diagnose the kept entries: ${(t2 - t1).toFixed(0)} ms; findings: ${d.findings.map((f) => f.code).join(', ') || 'none'}`,
  );
  console.log(
    `memory: RSS ${(base / 1024 / 1024).toFixed(0)} MiB before, peak ${(peak / 1024 / 1024).toFixed(0)} MiB; growth ${((peak - base) / 1024 / 1024).toFixed(0)} MiB = ${((peak - base) / size).toFixed(2)}× the file (aim ≤ 2×)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
