import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, PASSWORD, post, service, world, type World } from './helpers';

describe('POST /auth/login', () => {
  let w: World;
  let svc: Awaited<ReturnType<typeof service>>;
  beforeAll(async () => {
    svc = await service(answer(200, '{"ok":true}'));
    w = await world({ passthroughUrl: `${svc.url}/login` });
  });
  afterAll(async () => {
    await w.close();
    await svc.close();
  });

  it('signs a pass-through user in when the service answers 200, and makes a session', async () => {
    const r = await post(`${w.api}/auth/login`, { email: 'Erin@Globex.test', password: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      status: 'authenticated',
      user: { email: 'erin@globex.test' },
      account: { id: 'globex' },
      method: 'passthrough',
    });
    const session = r.json.session as { token: string };
    expect(session.token.length).toBeGreaterThanOrEqual(43);
    const last = svc.seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(last.body)).toEqual({ email: 'erin@globex.test', password: PASSWORD });
    const row = w.store.db.prepare('SELECT token_hash FROM auth_sessions ORDER BY id DESC').get() as {
      token_hash: string;
    };
    expect(row.token_hash).not.toBe(session.token);
  });

  it('the session token of a login says who is signed in until logout, and nothing after', async () => {
    const r = await post(`${w.api}/auth/login`, { email: 'erin@globex.test', password: PASSWORD });
    const token = (r.json.session as { token: string }).token;
    const me = (t: string) => fetch(`${w.api}/auth/session`, { headers: { authorization: `Bearer ${t}` } });
    const who = await me(token);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({
      user: { email: 'erin@globex.test', name: 'Erin' },
      account: { id: 'globex', name: 'Globex Inc' },
      method: 'passthrough',
    });
    // No token, a malformed header, an unknown token: 401 with the stable error shape.
    expect((await fetch(`${w.api}/auth/session`)).status).toBe(401);
    expect((await fetch(`${w.api}/auth/session`, { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
    const unknown = await me('x'.repeat(43));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: { code: 'invalid_session', message: 'unknown session token' } });
    // Logout ends it; it is audited; the token then reads as ended.
    const out = await fetch(`${w.api}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ status: 'logged_out' });
    const after = await me(token);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(
      /^this session ended at \d{4}-/,
    );
    expect(w.store.db.prepare("SELECT email, outcome FROM audit_events WHERE kind = 'auth.logout'").all()).toEqual([
      { email: 'erin@globex.test', outcome: 'ok' },
    ]);
    expect((await fetch(`${w.api}/auth/session`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers an unknown email like a wrong password, without calling the service; the audit keeps not_registered', async () => {
    const before = svc.seen.length;
    const r = await post(`${w.api}/auth/login`, { email: 'nobody@globex.test', password: PASSWORD });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: { code: 'authentication_failed', message: 'Wrong email or password.' } });
    expect(svc.seen.length).toBe(before);
    const audit = w.store.db
      .prepare("SELECT outcome, reason FROM audit_events WHERE kind = 'auth.login' ORDER BY id DESC LIMIT 1")
      .get();
    expect(audit).toEqual({ outcome: 'not_registered', reason: 'nobody@globex.test is not registered.' });
  });

  it('refuses a password for an SSO-enforced account with where to go', async () => {
    const r = await post(`${w.api}/auth/login`, { email: 'ann@acme.test', password: PASSWORD });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({
      error: { code: 'sso_required' },
      sso: { account: 'acme', action: 'Sign in with SSO', issuer: 'http://127.0.0.1:9/' },
    });
  });

  it('lists the accounts to choose from, then logs in to the chosen one', async () => {
    const r = await post(`${w.api}/auth/login`, { email: 'dana@example.test', password: PASSWORD });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({
      error: { code: 'choose_account' },
      accounts: [
        { id: 'globex', name: 'Globex Inc', method: 'passthrough' },
        { id: 'initech', name: 'Initech', method: 'password' },
      ],
    });
    const local = await post(`${w.api}/auth/login`, {
      email: 'dana@example.test',
      password: PASSWORD,
      account: 'initech',
    });
    expect(local.status).toBe(200);
    expect(local.json).toMatchObject({ account: { id: 'initech' }, method: 'password' });
    const other = await post(`${w.api}/auth/login`, {
      email: 'dana@example.test',
      password: PASSWORD,
      account: 'acme',
    });
    // Not a member reads like a wrong password: it depends on the email, not on the password.
    expect(other.status).toBe(401);
    expect(other.json).toEqual({ error: { code: 'authentication_failed', message: 'Wrong email or password.' } });
  });

  it('checks the SSO Desk password for an account without external auth', async () => {
    expect((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: PASSWORD })).status).toBe(200);
    const bad = await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ error: { code: 'authentication_failed', message: 'Wrong email or password.' } });
  });

  it('refuses a user with no account', async () => {
    const r = await post(`${w.api}/auth/login`, { email: 'lone@nowhere.test', password: PASSWORD });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: { code: 'authentication_failed', message: 'Wrong email or password.' } });
  });

  it('fills {{DEVICEIP}} from the peer address unless device.ip is given', async () => {
    w.setPassthrough({
      headers: {
        'X-Ip': '{{DEVICEIP}}',
        'X-Device': '{{DEVICENAME}} on {{DEVICEOS}}',
        'X-Org': '{{ORGID}}/{{USERID}}/{{USEREXTERNALID}}',
      },
    });
    await post(`${w.api}/auth/login`, { email: 'erin@globex.test', password: PASSWORD });
    expect(svc.seen.at(-1)!.headers['x-ip']).toBe('127.0.0.1');
    await post(`${w.api}/auth/login`, {
      email: 'erin@globex.test',
      password: PASSWORD,
      device: { ip: '203.0.113.7', name: 'Erin’s Mac', os: 'macOS 15' },
    });
    const h = svc.seen.at(-1)!.headers;
    expect(h['x-ip']).toBe('203.0.113.7');
    expect(h['x-org']).toMatch(/^globex\/\d+\/G-3001$/);
    // Beyond ASCII, a header value travels as UTF-8 bytes (Node reads them back as latin1).
    expect(Buffer.from(h['x-device'] as string, 'latin1').toString('utf8')).toBe('Erin’s Mac on macOS 15');
    w.setPassthrough({ headers: {} });
  });

  it('rejects bad input with 400 and never 500', async () => {
    for (const body of [
      'not json',
      '{}',
      { email: 'a@b.test' },
      { email: 'a@b.test', password: 3 },
      { email: 'a@b.test', password: 'x', extra: 1 },
      [],
    ]) {
      const r = await post(`${w.api}/auth/login`, body);
      expect(r.status).toBe(400);
      expect(r.json.error).toBeDefined();
    }
    const get = await fetch(`${w.api}/auth/login`);
    expect(get.status).toBe(405);
  });
});
