import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { exportWorkspace, workspaceText } from '../../src/main/engine/workspace/export';
import { openSecrets } from '../../src/main/engine/workspace/secrets';
import { sha256 } from '../../src/main/engine/crypto/hash';
import { Workspace, type WorkspaceInput } from '../../src/shared/workspace';
import { TEAM_LEVELS } from '../../src/shared/domain';
import { testContext } from '../helpers';

const contexts: Array<ReturnType<typeof testContext>> = [];
afterEach(() => contexts.splice(0).forEach((c) => c.close()));
const fresh = () => {
  const t = testContext();
  contexts.push(t);
  return t;
};

const PASSPHRASE = 'a long passphrase';
const CA_PEM = readFileSync(new URL('../fixtures/tls/private-ca/ca.pem', import.meta.url), 'utf8');

/** Two accounts with two bots each: what the random settings hang on. */
const base = (): WorkspaceInput => ({
  format: 'sso-desk/workspace@1',
  accounts: [
    { id: 'acme', name: 'Acme Corp', plan: 'enterprise', packages: ['sso-login', 'enterprise-toolkit'] },
    { id: 'globex', name: 'Globex Inc', plan: 'enterprise', packages: ['sso-login', 'enterprise-toolkit'] },
  ],
  users: [{ email: 'ann@acme.test', name: 'Ann Lee' }],
  memberships: [
    { account: 'acme', email: 'ann@acme.test', role: 'owner' },
    { account: 'globex', email: 'ann@acme.test', role: 'owner' },
  ],
  bots: [
    { id: 'helpdesk', account: 'acme', name: 'Helpdesk', owner: 'ann@acme.test' },
    { id: 'ops', account: 'acme', name: 'Ops', owner: 'ann@acme.test' },
    { id: 'billing', account: 'globex', name: 'Billing', owner: 'ann@acme.test' },
  ],
});

const token = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!'), {
    minLength: 32,
    maxLength: 48,
  })
  .map((cs) => cs.join(''));

const groupTeams = (bots: string[]) =>
  fc.uniqueArray(
    fc.record({
      group: fc.constantFrom<string>('Helpdesk operators', 'Sales', 'IT Admins', 'Support – EMEA', 'Ünïcode group'),
      bot: fc.constantFrom(...bots),
      level: fc.constantFrom(...TEAM_LEVELS),
    }),
    { selector: (m) => `${m.group.toLowerCase()}\n${m.bot}`, maxLength: 6 },
  );

const scim = (bots: string[]) =>
  fc.option(
    fc.record(
      { enabled: fc.boolean(), token: token, groupTeams: groupTeams(bots) },
      { requiredKeys: ['enabled', 'groupTeams'] },
    ),
    { nil: undefined },
  );

/** Login protection's numbers within the contract's bounds and rules. */
const loginProtection = fc
  .record({
    freeFailures: fc.integer({ min: 0, max: 100 }),
    delayMs: fc.integer({ min: 0, max: 60_000 }),
    extraDelay: fc.integer({ min: 0, max: 540_000 }),
    extraLock: fc.integer({ min: 1, max: 900 }),
    lockMs: fc.integer({ min: 1000, max: 86_400_000 }),
    windowMs: fc.integer({ min: 1000, max: 86_400_000 }),
    maxKeys: fc.integer({ min: 100, max: 1_000_000 }),
  })
  .map(({ extraDelay, extraLock, ...t }) => ({
    ...t,
    maxDelayMs: Math.min(t.delayMs + extraDelay, 600_000),
    lockAfter: t.freeFailures + extraLock,
  }));

const network = fc.record({
  proxyUrl: fc.constantFrom('', 'http://proxy.example:3128', 'https://gate.corp.test', 'http://10.0.0.8:8080'),
  noProxy: fc
    .subarray(['localhost', '127.0.0.1', '[::1]', '.corp.test', '*.internal.example', 'intranet:8443'])
    .map((hosts) => hosts.join(', ')),
  caPem: fc.constantFrom('', CA_PEM),
});

const settings = fc.record(
  {
    loginProtection,
    auditRetentionDays: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: null }),
    network,
  },
  { requiredKeys: [] },
);

const setup = fc.record({ acme: scim(['helpdesk', 'ops']), globex: scim(['billing']), settings });

type Setup = typeof setup extends fc.Arbitrary<infer T> ? T : never;

function fileOf(s: Setup): WorkspaceInput {
  const ws = base();
  const [acme, globex] = ws.accounts!;
  if (s.acme) acme!.scim = s.acme;
  if (s.globex) globex!.scim = s.globex;
  ws.settings = s.settings;
  return ws;
}

/** An export as a comparable value: no time, the envelope opened. */
async function comparable(ws: Workspace) {
  const { exported: _exported, secrets, ...rest } = ws;
  return { ...rest, secrets: secrets ? await openSecrets(secrets.enc, PASSPHRASE) : null };
}

describe('workspace settings: import → export → import keeps every setting (property)', () => {
  it('provisioning, group mappings, login protection, retention and network survive both ways', async () => {
    await fc.assert(
      fc.asyncProperty(setup, async (s) => {
        const a = fresh();
        const b = fresh();
        const now = a.clock.t;
        await importWorkspace(a.store.db, a.ctx.platform.secrets, workspaceText(Workspace.parse(fileOf(s))), { now });
        const first = await exportWorkspace(a.store.db, a.ctx.platform.secrets, {
          passphrase: PASSPHRASE,
          now,
          version: 't',
        });

        // What the file says is what was imported: the token as its hash, sealed; mappings and settings in clear.
        for (const [i, sc] of [s.acme, s.globex].entries()) {
          const out = first.accounts[i]!.scim;
          if (!sc) expect(out).toBeUndefined();
          else {
            expect(out?.enabled).toBe(sc.enabled);
            expect(out?.token).toBeUndefined();
            const sorted = (xs: typeof sc.groupTeams) =>
              [...xs].sort((x, y) => `${x.group}\n${x.bot}`.localeCompare(`${y.group}\n${y.bot}`));
            expect(sorted(out?.groupTeams ?? [])).toEqual(sorted(sc.groupTeams));
          }
        }
        const sealed = await openSecrets(first.secrets!.enc, PASSPHRASE);
        for (const [id, sc] of [
          ['acme', s.acme],
          ['globex', s.globex],
        ] as const) {
          if (sc?.token)
            expect(sealed.accounts[id]?.scim?.token).toEqual({
              format: 'sha256-hex',
              hash: sha256(sc.token),
              last4: sc.token.slice(-4),
            });
          else expect(sealed.accounts[id]?.scim).toBeUndefined();
        }
        if (s.settings.loginProtection) expect(first.settings?.loginProtection).toEqual(s.settings.loginProtection);
        if (s.settings.auditRetentionDays !== undefined)
          expect(first.settings?.auditRetentionDays).toBe(s.settings.auditRetentionDays);
        if (s.settings.network) expect(first.settings?.network).toEqual(s.settings.network);

        // Into an empty install and out again: the same file.
        await importWorkspace(b.store.db, b.ctx.platform.secrets, workspaceText(first), {
          now,
          passphrase: PASSPHRASE,
        });
        const second = await exportWorkspace(b.store.db, b.ctx.platform.secrets, {
          passphrase: PASSPHRASE,
          now,
          version: 't',
        });
        expect(await comparable(second)).toEqual(await comparable(first));

        // Without secrets: the same but the token, and the file says the token was left out.
        const plain = await exportWorkspace(a.store.db, a.ctx.platform.secrets, { now, version: 't' });
        expect(plain.secrets).toBeUndefined();
        expect(plain.settings).toEqual(first.settings);
        expect(plain.accounts.map((x) => x.scim)).toEqual(first.accounts.map((x) => x.scim));
        const saysToken = plain.exported!.leftOut.some((l) => l.startsWith('accounts[].scim.token'));
        expect(saysToken).toBe(Boolean(s.acme?.token || s.globex?.token));
      }),
      { numRuns: 12, seed: 24 },
    );
  }, 120_000);

  it('a mapping to another account’s bot, or a bad proxy, is refused with its path and nothing is written', async () => {
    const t = fresh();
    const ws = base();
    ws.accounts![1]!.scim = { enabled: true, groupTeams: [{ group: 'Sales', bot: 'helpdesk', level: 'viewer' }] };
    await expect(importWorkspace(t.store.db, t.ctx.platform.secrets, Workspace.parse(ws))).rejects.toMatchObject({
      field: 'accounts[1].scim.groupTeams[0].bot',
      message: expect.stringContaining('belongs to account "acme"'),
    });
    const ws2 = base();
    ws2.settings = { network: { proxyUrl: 'socks5://proxy:1080' } };
    await expect(importWorkspace(t.store.db, t.ctx.platform.secrets, Workspace.parse(ws2))).rejects.toMatchObject({
      field: 'settings.network.proxyUrl',
    });
    expect(t.store.db.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 0 });
  });

  it('the console’s channels: the file name says which kind, and imported login protection applies at once', async () => {
    const a = fresh();
    const call = createDispatch(createHandlers(a.ctx), a.ctx.log);
    const ws = base();
    ws.settings = {
      loginProtection: {
        freeFailures: 1,
        delayMs: 10,
        maxDelayMs: 20,
        lockAfter: 4,
        lockMs: 60_000,
        windowMs: 60_000,
        maxKeys: 500,
      },
      auditRetentionDays: 30,
    };
    expect(await call('auth.throttle.get', undefined)).toMatchObject({ ok: true, value: { lockAfter: 10 } });
    expect(await call('workspace.import', { text: JSON.stringify(ws) })).toMatchObject({ ok: true });
    expect(await call('auth.throttle.get', undefined)).toMatchObject({
      ok: true,
      value: { lockAfter: 4, maxKeys: 500 },
    });
    expect(await call('audit.retention.get', undefined)).toMatchObject({ ok: true, value: { days: 30 } });

    const plain = await call('workspace.export', { includeSecrets: false });
    if (!plain.ok) throw new Error(plain.error.message);
    const p = plain.value as { delivery: { name: string; url: string }; leftOut: string[] };
    expect(p.delivery.name).toBe('sso-desk-workspace-2026-11-25.json');
    expect(p.leftOut.join('\n')).toContain('login lockouts and counted failures');
    const sealed = await call('workspace.export', { includeSecrets: true, passphrase: PASSPHRASE });
    if (!sealed.ok) throw new Error(sealed.error.message);
    const w = sealed.value as { delivery: { name: string; url: string } };
    expect(w.delivery.name).toBe('sso-desk-workspace-2026-11-25-with-secrets.json');
    const file = Workspace.parse(JSON.parse(readFileSync(fileURLToPath(w.delivery.url), 'utf8')));
    expect(file.settings).toMatchObject({ loginProtection: { lockAfter: 4 }, auditRetentionDays: 30 });
  }, 60_000);
});
