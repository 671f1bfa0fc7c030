/**
 * SCIM provisioning over HTTP on loopback (`<api>/scim/v2`):
 *   1. `POST /Users` × N (default 10,000) from 4 keep-alive clients: users/s;
 *   2. `GET /Users?filter=userName eq "…"` with 100,000 users provisioned: p50/p99 (the 90,000 beyond
 *      step 1 are seeded straight into SQLite for speed; every query goes through HTTP);
 *   3. a deep page `GET /Users?startIndex=90001&count=100`: p50/p99;
 *   4. a group `PATCH` adding 1,000 members in one request: ms per PATCH.
 *
 *   node --import tsx bench/scim.bench.ts [--users 10000] [--total 100000] [--queries 2000]
 *   npm run bench -- scim
 *
 * The server runs in a child process so that the load generator does not share its event loop. Prints
 * figures; passes or fails nothing. The audit log is on, as in production: each request writes an event.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const TOKEN = 'scim-bench-token-0123456789abcdef-0123456789';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

async function serve(dir: string): Promise<void> {
  const { openStore } = await import('../src/main/store/db');
  const { startApiServer } = await import('../src/main/server');
  const { importWorkspace } = await import('../src/main/engine/workspace/import');
  const { fileKeySecretBox } = await import('../src/main/engine/crypto/secret-box');
  const { systemClock } = await import('../src/main/engine/context');
  const { appendAudit } = await import('../src/main/store/audit');
  const store = openStore(dir);
  // As boot() does: WAL checkpoints on a worker thread and the background maintenance (audit upkeep, pruning of expired rows).
  (await import('../src/main/store/checkpoints')).startCheckpoints(store);
  (await import('../src/main/engine/maintenance/maintenance')).startMaintenance(store.db, systemClock, () => {});
  const secrets = fileKeySecretBox(dir);
  await importWorkspace(store.db, secrets, {
    format: 'sso-desk/workspace@1',
    accounts: [
      {
        id: 'acme',
        name: 'Acme Corp',
        plan: 'enterprise',
        packages: ['sso-login', 'enterprise-toolkit'],
        embeddable: false,
        scim: { enabled: true, token: TOKEN },
      },
    ],
    users: [],
    memberships: [],
    bots: [],
  });
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
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on('SIGTERM', () => {
    store.close();
    process.exit(0);
  });
}

let agent = new Agent({ keepAlive: true, maxSockets: 16 });

function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; ms: number }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/scim/v2${path}`,
      {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          'User-Agent': 'Okta SCIM Client 1.0.0',
          ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const users = arg('users', 10_000);
  const total = arg('total', 100_000);
  const queries = arg('queries', 2000);
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-scim-bench-'));
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(tmpdir(), 'sso-desk-cpuprof')}`] : []),
      '--import',
      'tsx',
      here,
      '--serve',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const base = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url)),
  );
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  try {
    // 1. POST /Users from 4 clients.
    const ids: string[] = [];
    let next = 0;
    let non201 = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < users) {
          const i = next++;
          const r = await call(base, 'POST', '/Users', {
            schemas: [USER],
            userName: `user${i}@bench.test`,
            name: { givenName: 'User', familyName: String(i) },
            emails: [{ primary: true, type: 'work', value: `user${i}@bench.test` }],
            active: true,
          });
          if (r.status !== 201) non201++;
          else ids.push((JSON.parse(r.text) as { id: string }).id);
        }
      }),
    );
    const s1 = (performance.now() - t0) / 1000;
    console.log(
      `| POST /Users × ${users} (4 clients) | ${(users / s1).toFixed(0)} users/s | ${s1.toFixed(1)} s total | non-201: ${non201} |`,
    );

    // Seed the rest straight into SQLite (a second connection; WAL lets the server keep serving).
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'sso-desk.sqlite'));
    db.pragma('busy_timeout = 10000');
    const addUser = db.prepare('INSERT INTO users (email, name, created_at) VALUES (?, ?, 0)');
    const addMember = db.prepare(
      "INSERT INTO memberships (account_id, user_id, role, source, provisioned_by, provisioned_at) VALUES ('acme', ?, 'member', 'scim', 'Okta', 0)",
    );
    const addScim = db.prepare(
      "INSERT INTO scim_users (id, account_id, user_id, user_name, resource, created_at, updated_at) VALUES (?, 'acme', ?, ?, ?, 0, 0)",
    );
    db.transaction(() => {
      for (let i = users; i < total; i++) {
        const email = `user${i}@bench.test`;
        const uid = Number(addUser.run(email, `User ${i}`).lastInsertRowid);
        addMember.run(uid);
        addScim.run(
          `seed-${i}`,
          uid,
          email,
          JSON.stringify({ schemas: [USER], userName: email, emails: [{ primary: true, type: 'work', value: email }] }),
        );
      }
    })();
    // Settle the store as users provisioned over days would have left it: the seed's tens of megabytes
    // copied from the WAL into the database file now, not by the server's checkpointer during step 2.
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // The seeding held this process for a while: the server has closed the idle keep-alive sockets meanwhile.
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: 16 });

    // 2. userName eq lookups with `total` users, sequential.
    const lat: number[] = [];
    for (let q = 0; q < queries; q++) {
      const i = Math.floor(Math.random() * total);
      const r = await call(base, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "USER${i}@bench.test"`)}`);
      if (r.status !== 200 || !r.text.includes('"totalResults":1'))
        throw new Error(`lookup ${i}: ${r.status} ${r.text.slice(0, 200)}`);
      lat.push(r.ms);
    }
    console.log(
      `| GET /Users?filter=userName eq (${total} users, ${queries} sequential) | p50 ${pct(lat, 50).toFixed(2)} ms | p99 ${pct(lat, 99).toFixed(2)} ms |`,
    );

    // 3. The deep page.
    const deep: number[] = [];
    for (let q = 0; q < 50; q++) {
      const r = await call(base, 'GET', '/Users?startIndex=90001&count=100');
      if (r.status !== 200) throw new Error(`deep page: ${r.status}`);
      deep.push(r.ms);
    }
    console.log(
      `| GET /Users?startIndex=90001&count=100 (${total} users, 50 sequential) | p50 ${pct(deep, 50).toFixed(2)} ms | p99 ${pct(deep, 99).toFixed(2)} ms |`,
    );

    // 4. A group PATCH adding 1,000 members, five groups.
    const patch: number[] = [];
    for (let g = 0; g < 5; g++) {
      const group = await call(base, 'POST', '/Groups', { schemas: [GROUP], displayName: `Bench group ${g}` });
      const gid = (JSON.parse(group.text) as { id: string }).id;
      const members = ids.slice(g * 1000, g * 1000 + 1000).map((value) => ({ value }));
      const r = await call(base, 'PATCH', `/Groups/${gid}`, {
        schemas: [PATCH],
        Operations: [{ op: 'Add', path: 'members', value: members }],
      });
      if (r.status !== 204) throw new Error(`group patch: ${r.status} ${r.text.slice(0, 200)}`);
      patch.push(r.ms);
    }
    console.log(
      `| PATCH /Groups/{id} adding 1,000 members (5 groups) | p50 ${pct(patch, 50).toFixed(1)} ms | max ${Math.max(...patch).toFixed(1)} ms |`,
    );
    console.log(
      `load average at end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') void serve(process.argv[3]!);
else void main();
