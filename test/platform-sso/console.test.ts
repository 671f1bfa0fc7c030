import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, world, type Keys, type Running, type TestClock } from './harness';

let run: Running;
let keys: Keys;
let clock: TestClock;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ run, keys, clock, cleanup } = await world());
});
afterAll(() => cleanup());

const call = async <T = Record<string, unknown>>(name: string, input?: unknown): Promise<T> => {
  const r = await run.dispatch(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const failure = async (name: string, input?: unknown) => {
  const r = await run.dispatch(name, input);
  expect(r.ok).toBe(false);
  return (r as { error: { code: string; message: string; field?: string } }).error;
};
const issue = (over: Record<string, string> = {}) =>
  post(`${run.api}/authorization/sso`, {
    AccountAPIKey: keys.acme,
    BotAPIKey: keys.helpdesk.key,
    BotAPISecret: keys.helpdesk.secret,
    Email: 'ann@acme.test',
    ...over,
  });

describe('keys.*', () => {
  it('lists active keys by their last four characters only', async () => {
    const o = await call<{
      accounts: Array<{
        id: string;
        accountKey: { last4: string } | null;
        bots: Array<{ id: string; secret: { last4: string } | null }>;
      }>;
    }>('keys.list');
    const acme = o.accounts.find((a) => a.id === 'acme')!;
    expect(acme.accountKey?.last4).toBe(keys.acme.slice(-4));
    expect(acme.bots[0]?.secret?.last4).toBe(keys.helpdesk.secret.slice(-4));
    expect(JSON.stringify(o)).not.toContain(keys.helpdesk.secret);
    expect(o.accounts.find((a) => a.id === 'freeco')?.accountKey).toBeNull();
  });

  it('rotating a bot secret returns the new value once; the old one then reads as not found', async () => {
    const r = await call<{ value: string; last4: string; replaced: boolean }>('keys.rotate', {
      account: 'acme',
      bot: 'helpdesk',
      kind: 'bot_secret',
    });
    expect(r.value).toMatch(/^sec_[A-Za-z0-9_-]{32}$/);
    expect(r.last4).toBe(r.value.slice(-4));
    expect(r.replaced).toBe(true);
    expect((await issue()).status).toBe(404);
    expect((await issue({ BotAPISecret: r.value })).status).toBe(200);
    keys.helpdesk.secret = r.value;
    const audit = JSON.stringify(run.store.db.prepare("SELECT * FROM audit_events WHERE kind LIKE 'keys.%'").all());
    expect(audit).toContain('rotated BotAPISecret of Helpdesk');
    expect(audit).not.toContain(r.value);
  });

  it('creates a key where none exists, and revokes it', async () => {
    const r = await call<{ value: string; replaced: boolean }>('keys.rotate', {
      account: 'freeco',
      kind: 'account_key',
    });
    expect(r.replaced).toBe(false);
    expect(await call('keys.revoke', { account: 'freeco', kind: 'account_key' })).toEqual({ revoked: 1 });
    expect(await failure('keys.revoke', { account: 'freeco', kind: 'account_key' })).toMatchObject({
      code: 'not_found',
      message: 'AccountAPIKey of FreeCo has no active key to revoke',
    });
  });

  it('revoking the account key makes issuance read as not found', async () => {
    const r = await call<{ value: string }>('keys.rotate', { account: 'acme', kind: 'account_key' });
    expect((await issue()).status).toBe(404);
    keys.acme = r.value;
    expect((await issue()).status).toBe(200);
  });

  it('validates the target', async () => {
    expect(await failure('keys.rotate', { account: 'acme', kind: 'bot_key' })).toMatchObject({
      code: 'invalid_input',
      field: 'bot',
    });
    expect(await failure('keys.rotate', { account: 'acme', bot: 'sales-bot', kind: 'bot_key' })).toMatchObject({
      code: 'not_found',
    });
    expect(await failure('keys.rotate', { account: 'acme', bot: 'helpdesk', kind: 'account_key' })).toMatchObject({
      code: 'invalid_input',
    });
    expect(await failure('keys.rotate', { account: 'acme', kind: 'master_key' })).toMatchObject({
      code: 'invalid_input',
      field: 'kind',
    });
  });
});

describe('tokens.settings.*', () => {
  it('gates SSO Login and embeddable by plan, with the reason', async () => {
    const list =
      await call<Array<{ account: string; gates: { ssoLogin: { allowed: boolean; reason: string } } }>>(
        'tokens.settings.list',
      );
    expect(list.find((a) => a.account === 'freeco')?.gates.ssoLogin).toEqual({
      allowed: false,
      reason: 'The SSO Login package needs the Pro or Enterprise plan; this account is on Free.',
    });
    expect(await failure('tokens.settings.set', { account: 'freeco', ssoLogin: true })).toMatchObject({
      code: 'plan_required',
      field: 'ssoLogin',
    });
    expect(await failure('tokens.settings.set', { account: 'initech', embeddable: true })).toMatchObject({
      message: 'Embeddable pages are opened by Platform SSO links: switch on the SSO Login package first.',
    });
  });

  it('switching SSO Login on lets the account issue tokens; off again gives 400 package_missing', async () => {
    const body = {
      AccountAPIKey: keys.initech,
      BotAPIKey: keys.printer.key,
      BotAPISecret: keys.printer.secret,
      Email: 'ivan@initech.test',
    };
    expect((await post(`${run.api}/authorization/sso`, body)).status).toBe(400);
    expect(await call('tokens.settings.set', { account: 'initech', ssoLogin: true, embeddable: true })).toMatchObject({
      ssoLogin: true,
      embeddable: true,
    });
    expect((await post(`${run.api}/authorization/sso`, body)).status).toBe(200);
    expect(await call('tokens.settings.set', { account: 'initech', ssoLogin: false })).toMatchObject({
      ssoLogin: false,
      embeddable: false,
    });
    expect((await post(`${run.api}/authorization/sso`, body)).status).toBe(400);
    // Each switch is audited as field, old and new value.
    const changes = (
      run.store.db
        .prepare(
          "SELECT detail FROM audit_events WHERE kind = 'platform-sso.settings' AND account_id = 'initech' ORDER BY id",
        )
        .all() as Array<{ detail: string }>
    ).map((r) => JSON.parse(r.detail).changes);
    expect(changes).toEqual([
      [
        { field: 'platformSso.ssoLogin', old: false, new: true },
        { field: 'platformSso.embeddable', old: false, new: true },
      ],
      [
        { field: 'platformSso.ssoLogin', old: true, new: false },
        { field: 'platformSso.embeddable', old: true, new: false },
      ],
    ]);
  });
});

describe('tokens.inspect / revoke / tryIt', () => {
  it('inspects a pasted Home URL: who, which bot, times, status, the sections it opens', async () => {
    const { Home } = (await (await issue({ Email: 'carol@acme.test' })).json()) as { Home: string };
    const i = await call<Record<string, unknown> & { sections: Array<{ id: string; allowed: boolean; url: string }> }>(
      'tokens.inspect',
      { input: `  ${Home}/design ` },
    );
    expect(i).toMatchObject({
      status: 'active',
      scope: 'sso',
      account: { id: 'acme', name: 'Acme Corp' },
      bot: { id: 'helpdesk', name: 'Helpdesk' },
      user: { email: 'carol@acme.test', name: 'Carol Diaz' },
      standing: { kind: 'team', level: 'operator' },
      issuedAt: clock.now(),
      expiresAt: clock.now() + 3_600_000,
      home: Home,
      logout: `${Home}/logout`,
    });
    expect(i.sections.filter((s) => s.allowed).map((s) => s.id)).toEqual([
      'home',
      'analytics',
      'conversation',
      'contacts',
    ]);
    expect(i.sections.find((s) => s.id === 'conversation')?.url).toBe(`${Home}/conversation`);
    clock.advance(3_600_000);
    expect(await call('tokens.inspect', { input: Home })).toMatchObject({ status: 'expired' });
  });

  it('revokes from the console; the link then gets the revoked page', async () => {
    const { Home, Token } = (await (await issue()).json()) as { Home: string; Token: string };
    expect(await call('tokens.revoke', { input: Token })).toMatchObject({ status: 'revoked', revokedAt: clock.now() });
    expect((await fetch(Home)).status).toBe(401);
  });

  it('says unknown for a token it never issued and refuses text that is neither URL nor token', async () => {
    expect(await call('tokens.inspect', { input: 'x'.repeat(43) })).toMatchObject({ status: 'unknown', account: null });
    expect(await failure('tokens.inspect', { input: 'hello world' })).toMatchObject({
      code: 'invalid_input',
      field: 'input',
    });
  });

  it('Try it calls the real endpoint and shows the curl command', async () => {
    const r = await call<{ status: number; body: { Home: string }; curl: string; curlRevealed: string; url: string }>(
      'tokens.tryIt',
      {
        accountKey: keys.acme,
        botKey: keys.helpdesk.key,
        botSecret: keys.helpdesk.secret,
        email: 'bob@acme.test',
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.Home).toMatch(`${run.api}/auth/sso/`);
    expect(r.curlRevealed).toBe(
      `curl -sS -X POST '${run.api}/authorization/sso' -H 'Content-Type: application/json' --data '${JSON.stringify({ AccountAPIKey: keys.acme, BotAPIKey: keys.helpdesk.key, BotAPISecret: keys.helpdesk.secret, Email: 'bob@acme.test' })}'`,
    );
    // Shown and copied by default: the BotAPISecret masked.
    expect(r.curl).toBe(r.curlRevealed.replace(keys.helpdesk.secret, '••••'));
    expect(r.curl).not.toContain(keys.helpdesk.secret);
    const bad = await call<{ status: number; body: unknown }>('tokens.tryIt', {
      accountKey: 'x',
      botKey: 'y',
      botSecret: 'z',
      email: "o'neil@acme.test",
    });
    expect(bad.status).toBe(404);
  });

  it('lists bots with owner and team for Try it', async () => {
    const bots = await call<Array<{ id: string; owner: string; team: unknown[] }>>('tokens.bots');
    expect(bots.find((b) => b.id === 'helpdesk')).toMatchObject({
      owner: 'ann@acme.test',
      team: [
        { email: 'bob@acme.test', level: 'admin' },
        { email: 'carol@acme.test', level: 'operator' },
        { email: 'dana@example.test', level: 'viewer' },
      ],
    });
  });
});
