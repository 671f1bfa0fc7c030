import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers';
import { Workspace } from '../../src/shared/workspace';
import { fileKeySecretBox } from '../../src/main/engine/crypto/secret-box';
import { verifyPassword, sha256 } from '../../src/main/engine/crypto/hash';
import { openSecrets } from '../../src/main/engine/workspace/secrets';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

/** Runs the built browser host until it exits. */
function host(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['out/main/host.js', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const PASSPHRASE = 'correct horse battery staple';
const PASSWORD = 'Pa55word-for-ann';
const ACCOUNT_KEY = 'acc_live_0123456789abcdefWXYZ';
const CLIENT_SECRET = 'client-secret-value-42';

/** A setup with every kind of thing an export must carry. */
const source = {
  format: 'sso-desk/workspace@1',
  accounts: [
    {
      id: 'acme',
      name: 'Acme Corp',
      plan: 'enterprise',
      packages: ['sso-login', 'enterprise-toolkit'],
      embeddable: false,
      apiKey: ACCOUNT_KEY,
      oidc: {
        enabled: true,
        preset: 'entra',
        issuer: 'https://login.microsoftonline.com/t-1/v2.0',
        clientId: 'desk',
        clientSecret: CLIENT_SECRET,
        scopes: ['openid', 'email'],
        presetParams: { tenant: 't-1' },
      },
    },
    {
      id: 'globex',
      name: 'Globex Inc',
      plan: 'pro',
      packages: ['sso-login'],
      embeddable: true,
      passthrough: {
        enabled: true,
        url: 'https://auth.example/login?org={{ORGID}}',
        method: 'PUT',
        dataAs: 'xml',
        authType: 'none',
        headers: { 'X-Device': '{{DEVICENAME}}' },
        body: '',
        forgotPasswordUrl: 'https://auth.example/forgot?u={{USEREMAIL}}',
        timeoutMs: 3000,
      },
    },
  ],
  users: [
    { email: 'ann@acme.test', name: 'Ann Lee', externalId: 'E-1001', password: PASSWORD },
    { email: 'bob@acme.test', name: 'Bob Stone', emailVerified: false },
  ],
  memberships: [
    { account: 'acme', email: 'ann@acme.test', role: 'owner' },
    {
      account: 'acme',
      email: 'bob@acme.test',
      role: 'member',
      status: 'deactivated',
      statusBy: 'scim:Okta',
      statusAt: 1_700_000_000_000,
      source: 'scim',
      provisionedBy: 'Okta',
      provisionedAt: 1_690_000_000_000,
    },
    { account: 'globex', email: 'bob@acme.test', role: 'admin' },
  ],
  bots: [
    {
      id: 'helpdesk',
      account: 'acme',
      name: 'Helpdesk',
      owner: 'ann@acme.test',
      apiKey: 'bot_live_0123456789abcdefKLMN',
      apiSecret: 'sec_live_abcdef0123456789QRST',
      team: [{ email: 'bob@acme.test', level: 'operator' }],
    },
  ],
};

/** The parts of a database that make up a setup, in a comparable shape (no ids, no times of this install). */
function snapshot(dataDir: string) {
  const db = new Database(join(dataDir, 'sso-desk.sqlite'), { readonly: true });
  const box = fileKeySecretBox(dataDir);
  const all = (sql: string) => db.prepare(sql).all();
  const out = {
    accounts: all('SELECT id, name, plan, packages, embeddable FROM accounts ORDER BY id'),
    users: all('SELECT email, name, external_id, password_hash, email_verified FROM users ORDER BY email'),
    memberships:
      all(`SELECT m.account_id, u.email, m.role, m.status, m.status_at, m.status_by, m.source, m.provisioned_by, m.provisioned_at
                        FROM memberships m JOIN users u ON u.id = m.user_id ORDER BY 1, 2`),
    bots: all(
      'SELECT b.id, b.account_id, b.name, u.email AS owner FROM bots b JOIN users u ON u.id = b.owner_user_id ORDER BY 1',
    ),
    team: all('SELECT t.bot_id, u.email, t.level FROM bot_team t JOIN users u ON u.id = t.user_id ORDER BY 1, 2'),
    keys: all('SELECT account_id, bot_id, kind, hash, last4 FROM api_keys WHERE revoked_at IS NULL ORDER BY hash'),
    oidc: (
      all(
        'SELECT account_id, enabled, preset, preset_params, issuer, client_id, client_secret_enc, scopes FROM sso_oidc ORDER BY 1',
      ) as Array<Record<string, unknown>>
    ).map(({ client_secret_enc, ...rest }) => ({
      ...rest,
      clientSecret: client_secret_enc ? box.decrypt(client_secret_enc as string) : null,
    })),
    passthrough: all(
      'SELECT account_id, enabled, url, method, data_as, auth_type, headers, body, forgot_url, timeout_ms FROM sso_passthrough ORDER BY 1',
    ),
  };
  db.close();
  return out;
}

describe('workspace export → import (the browser host, real SQLite files)', () => {
  it('with "include secrets", a whole setup round-trips into an empty data dir', async () => {
    const d = dir();
    const [a, b, c] = [join(d, 'a'), join(d, 'b'), join(d, 'c')];
    const src = join(d, 'source.json');
    const out = join(d, 'export.json');
    const passFile = join(d, 'pass.txt');
    writeFileSync(src, JSON.stringify(source));
    writeFileSync(passFile, `${PASSPHRASE}\n`);

    // Import the source into A and export it in the same run: --export writes the file and exits.
    const first = await host([
      '--data-dir',
      a,
      '--import',
      src,
      '--export',
      out,
      '--include-secrets',
      '--passphrase-file',
      passFile,
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      exported: out,
      accounts: 2,
      users: 2,
      bots: 1,
      secrets: 'encrypted',
    });
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const text = readFileSync(out, 'utf8');
    // No secret in clear: not the password, not the client secret, not a key; its hash only.
    for (const clear of [PASSWORD, CLIENT_SECRET, ACCOUNT_KEY, 'scrypt$']) expect(text).not.toContain(clear);
    const file = Workspace.parse(JSON.parse(text));
    expect(file.accounts[0]!.apiKey).toEqual({ format: 'sha256-hex', hash: sha256(ACCOUNT_KEY), last4: 'WXYZ' });
    expect(file.secrets?.enc).toMatch(/^v1:/);
    expect(file.memberships.find((m) => m.email === 'bob@acme.test' && m.account === 'acme')).toMatchObject({
      status: 'deactivated',
      statusBy: 'scim:Okta',
      source: 'scim',
      provisionedBy: 'Okta',
    });

    // Without the passphrase, import into an empty dir refuses and creates nothing.
    const refused = await host(['--data-dir', b, '--import', out, '--export', join(d, 'never.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('give the passphrase');
    const wrong = await host(['--data-dir', b, '--import', out, '--export', join(d, 'never.json')], {
      SSO_DESK_PASSPHRASE: 'not the passphrase',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('the passphrase does not open');

    // With it (from the environment this time), B gets the same setup as A.
    const second = await host(['--data-dir', b, '--import', out, '--export', join(d, 'again.json')], {
      SSO_DESK_PASSPHRASE: PASSPHRASE,
    });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const sa = snapshot(a);
    const sb = snapshot(b);
    expect(sb).toEqual(sa);
    // What the comparison covers, spelled out: passwords still work, the client secret is the same,
    // the deactivated membership stays deactivated, keys are the same hashes.
    const ann = (sb.users as Array<{ email: string; password_hash: string }>).find((u) => u.email === 'ann@acme.test')!;
    expect(await verifyPassword(PASSWORD, ann.password_hash)).toBe(true);
    expect(sb.oidc[0]).toMatchObject({
      clientSecret: CLIENT_SECRET,
      preset: 'entra',
      preset_params: '{"tenant":"t-1"}',
    });
    expect(sb.keys).toHaveLength(3);
    expect(sb.passthrough).toHaveLength(1);

    // Without secrets: still importable; what is left out is said in the file and is missing after import.
    const plain = join(d, 'plain.json');
    const third = await host(['--data-dir', b, '--export', plain]);
    expect(third.code).toBe(0);
    const plainFile = Workspace.parse(JSON.parse(readFileSync(plain, 'utf8')));
    expect(plainFile.secrets).toBeUndefined();
    expect(plainFile.exported?.leftOut.join('\n')).toMatch(
      /password hashes[\s\S]*client secrets|client secrets[\s\S]*password hashes/,
    );
    const fourth = await host(['--data-dir', c, '--import', plain, '--export', join(d, 'c.json')]);
    expect(fourth.code).toBe(0);
    const sc = snapshot(c);
    expect(sc.accounts).toEqual(sa.accounts);
    expect(sc.memberships).toEqual(sa.memberships);
    expect(sc.keys).toEqual(sa.keys);
    expect((sc.users as Array<{ password_hash: string | null }>).every((u) => u.password_hash === null)).toBe(true);
    expect(sc.oidc[0]).toMatchObject({ clientSecret: null, client_id: 'desk' });
  }, 120_000);

  it('a tampered envelope is refused, and the envelope opens only with its passphrase', async () => {
    const d = dir();
    const out = join(d, 'export.json');
    const r = await host(['--data-dir', join(d, 'a'), '--export', out, '--include-secrets'], {
      SSO_DESK_PASSPHRASE: PASSPHRASE,
    });
    expect(r.code).toBe(0);
    // The demo world: its users' passwords ride in the envelope.
    const file = Workspace.parse(JSON.parse(readFileSync(out, 'utf8')));
    const payload = await openSecrets(file.secrets!.enc, PASSPHRASE);
    expect(Object.keys(payload.users)).toContain('ann@acme.test');
    const [v, salt, iv, body] = file.secrets!.enc.split(':') as [string, string, string, string];
    const flipped = body.slice(0, 10) + (body[10] === 'A' ? 'B' : 'A') + body.slice(11);
    await expect(openSecrets([v, salt, iv, flipped].join(':'), PASSPHRASE)).rejects.toMatchObject({
      code: 'passphrase_wrong',
    });
    // --include-secrets without a passphrase is refused before anything starts.
    const none = await host(['--data-dir', join(d, 'b'), '--export', join(d, 'x.json'), '--include-secrets'], {
      SSO_DESK_PASSPHRASE: '',
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('--include-secrets needs a passphrase');
  }, 60_000);
});
