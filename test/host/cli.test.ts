import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> args` until it exits, or until its first stdout line when `untilReady`, then SIGTERM. */
function run(
  script: string,
  args: string[],
  opts: { untilReady?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<Run & { readyAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let readyAfterMs = -1;
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (opts.untilReady && readyAfterMs < 0 && stdout.includes('\n')) {
        readyAfterMs = Date.now() - started;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) =>
      resolve({ code, stdout, stderr: signal ? `${stderr}[signal ${signal}]` : stderr, readyAfterMs }),
    );
  });
}

const host = 'out/main/host.js';

describe('npm run serve (the browser host)', () => {
  it('prints one JSON ready line within 10 s, writes it to --ready-file, and exits cleanly on SIGTERM', async () => {
    const d = dir();
    const readyFile = join(d, 'ready.json');
    const r = await run(host, ['--data-dir', join(d, 'data'), '--ready-file', readyFile], { untilReady: true });
    expect(r.readyAfterMs).toBeGreaterThan(0);
    expect(r.readyAfterMs).toBeLessThan(10_000);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const ready = JSON.parse(lines[0]!);
    expect(Object.keys(ready)).toEqual(['console', 'api', 'idp', 'passthrough']);
    expect(ready.console).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#key=[A-Za-z0-9_-]{43}$/);
    expect(ready.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(readFileSync(readyFile, 'utf8'))).toEqual(ready);
    expect(r.stderr).toBe('SIGTERM: closing SSO Desk\n');
    expect(r.code).toBe(0);
    // The database was closed cleanly: WAL checkpointed and removed, and it opens fine.
    expect(existsSync(join(d, 'data', 'sso-desk.sqlite-wal'))).toBe(false);
    const db = new Database(join(d, 'data', 'sso-desk.sqlite'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n).toBe(2);
    db.close();
  });

  it('--import loads a workspace instead of the demo world', async () => {
    const d = dir();
    const file = join(d, 'ws.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'sso-desk/workspace@1',
        accounts: [{ id: 'initech', name: 'Initech', plan: 'free' }],
        users: [{ email: 'peter@initech.test', name: 'Peter' }],
        memberships: [{ account: 'initech', email: 'peter@initech.test', role: 'owner' }],
      }),
    );
    const r = await run(host, ['--data-dir', join(d, 'data'), '--import', file], { untilReady: true });
    expect(r.code).toBe(0);
    const db = new Database(join(d, 'data', 'sso-desk.sqlite'), { readonly: true });
    expect(db.prepare('SELECT id FROM accounts').all()).toEqual([{ id: 'initech' }]);
    db.close();
    // The same file again is refused, exit 1, nothing changed; with --replace it loads.
    const again = await run(host, ['--data-dir', join(d, 'data'), '--import', file]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('account "initech" already exists');
    const replaced = await run(host, ['--data-dir', join(d, 'data'), '--import', file, '--replace'], {
      untilReady: true,
    });
    expect(replaced.code).toBe(0);
  });

  it('bad input is one clear line on stderr, a non-zero exit, and nothing half-written', async () => {
    const d = dir();
    const data = join(d, 'data');
    const missing = await run(host, ['--data-dir', data, '--import', join(d, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^sso-desk: --import .*nope\.json: cannot read it \(ENOENT\)\n$/);

    writeFileSync(join(d, 'bad.json'), '{"format": "sso-desk/workspace@1", "accounts": [');
    const invalid = await run(host, ['--data-dir', data, '--import', join(d, 'bad.json')]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^sso-desk: --import .*bad\.json: not valid JSON: .*\n$/);

    writeFileSync(
      join(d, 'wrong.json'),
      JSON.stringify({
        format: 'sso-desk/workspace@1',
        bots: [{ id: 'b', account: 'a', name: 'B', owner: 'x@y.test', team: [{ email: 'x@y.test', level: 'boss' }] }],
      }),
    );
    const wrong = await run(host, ['--data-dir', data, '--import', join(d, 'wrong.json')]);
    expect(wrong.stderr).toBe(
      `sso-desk: --import ${join(d, 'wrong.json')}: bots[0].team[0].level: expected one of admin, editor, operator, viewer\n`,
    );
    // None of the failures created the data dir.
    expect(existsSync(data)).toBe(false);

    const flag = await run(host, ['--data-dir', data, '--port', 'eighty']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('--port needs a port number');
    expect(existsSync(data)).toBe(false);

    writeFileSync(join(d, 'a-file'), 'x');
    const unwritable = await run(host, ['--data-dir', join(d, 'a-file', 'data')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/^sso-desk: cannot open the database in .*a-file\/data/);
  });

  it('a port in use is one clear line and a non-zero exit', async () => {
    const d = dir();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await run(host, ['--data-dir', join(d, 'data'), '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `sso-desk: console: port ${port} on 127.0.0.1 is already in use; pick another with --port\n`,
      );
      expect(r.stdout).toBe('');
    } finally {
      blocker.close();
    }
    // The failed start closed its database: the dir holds no WAL left open.
    expect(readdirSync(join(d, 'data'))).not.toContain('sso-desk.sqlite-wal');
  });
});

describe('npm start', () => {
  it('without an Electron binary says so in one line and runs the browser host', async () => {
    const d = dir();
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '' };
    const r = await run('scripts/start.mjs', ['--data-dir', join(d, 'data')], { untilReady: true, env });
    const first = r.stderr.split('\n')[0]!;
    expect(first).toMatch(/^sso-desk: no Electron binary is installed .*browser host instead/);
    expect(JSON.parse(r.stdout.trim()).console).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});
