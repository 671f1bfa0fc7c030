import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers';
import { startWorld, type World } from '../oidc/helpers';
import { recordSignIn } from '../engine/inspect/diagnose/record-har';

/** `npm run serve -- --diagnose FILE [--data-dir D]`: the built host, as support scripts call it. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['out/main/host.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let world: World;
const tmp = tempDir();
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(async () => {
  await world.close();
  tmp.cleanup();
});

describe('--diagnose FILE', () => {
  it('prints the diagnosis as one JSON line, compared with the data dir’s accounts, without the secrets', async () => {
    const { har } = await recordSignIn(world.booted.urls.idp!, 'ann@acme.test', world.password);
    const authorize = har.log.entries.find((e) => new URL(e.request.url).searchParams.has('response_type'))!;
    const u = new URL(authorize.request.url);
    u.searchParams.set('client_id', 'wrong-app');
    authorize.request.url = u.href;
    const file = join(tmp.dir, 'capture.har');
    writeFileSync(file, JSON.stringify(har));
    const r = await run(['--diagnose', file, '--data-dir', world.dataDir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const d = JSON.parse(r.stdout) as { findings: Array<{ code: string; message: string }>; secrets?: unknown };
    expect(d.findings.map((f) => f.message)).toContain(
      "The HAR's client_id is wrong-app; Acme Corp's settings have sso-desk-demo.",
    );
    expect(d.secrets).toBeUndefined();
    const code = new URL(
      har.log.entries.find((e) => e.request.url.includes('/callback?'))!.request.url,
    ).searchParams.get('code')!;
    expect(r.stdout).not.toContain(code);
  }, 30_000);

  it('a file that is not a HAR is still read (exit 0, said in notes); a missing file is one line on stderr, exit 1', async () => {
    const file = join(tmp.dir, 'notes.txt');
    writeFileSync(file, 'the customer says SSO is broken');
    const r = await run(['--diagnose', file]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { notes: string[] }).notes[0]).toMatch(/not a HAR file/);
    const missing = await run(['--diagnose', join(tmp.dir, 'nope.har')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(`sso-desk: --diagnose ${join(tmp.dir, 'nope.har')}: cannot read it (ENOENT)\n`);
  });
});
