import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, post, service, world, type World } from './helpers';

describe('POST /auth/password/forgot and /auth/password/reset', () => {
  let w: World;
  let svc: Awaited<ReturnType<typeof service>>;
  beforeAll(async () => {
    svc = await service((seen, res) => res.writeHead(seen.url.startsWith('/forgot') ? 200 : 401).end());
    w = await world({ passthroughUrl: `${svc.url}/login` });
  });
  afterAll(async () => {
    await w.close();
    await svc.close();
  });
  const forgot = (body: unknown) => post(`${w.api}/auth/password/forgot`, body);
  const ACCEPTED = {
    status: 'accepted',
    message: 'If this email is registered, password-reset instructions are on their way.',
  };
  /** The public answer is always ACCEPTED; the audit keeps what really happened. */
  const lastForgot = () =>
    w.store.db
      .prepare("SELECT outcome, reason FROM audit_events WHERE kind = 'auth.forgot' ORDER BY id DESC LIMIT 1")
      .get() as { outcome: string; reason: string };

  it('refuses for an SSO-enforced account, pointing to SSO (in the audit; the public answer says nothing)', async () => {
    const r = await forgot({ email: 'ann@acme.test' });
    expect(r.status).toBe(202);
    expect(r.json).toEqual(ACCEPTED);
    expect(lastForgot()).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('Sign in with SSO') });
  });

  it('GETs the Forgot-password URL with every placeholder but the password; 200 = sent', async () => {
    w.setPassthrough({
      forgotPasswordUrl: `${svc.url}/forgot?u={{USEREMAIL}}&id={{USEREXTERNALID}}&org={{ORGID}}&ip={{DEVICEIP}}`,
      headers: { 'X-Key': 'k', 'X-Pass': '{{USERPASSWORD}}' },
    });
    const r = await forgot({ email: 'erin@globex.test' });
    expect(r.status).toBe(202);
    expect(r.json).toEqual(ACCEPTED);
    expect(lastForgot().outcome).toBe('sent');
    const seen = svc.seen.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.body).toBe('');
    const url = new URL(seen.url, svc.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      u: 'erin@globex.test',
      id: 'G-3001',
      org: 'globex',
      ip: '127.0.0.1',
    });
    expect(seen.headers['x-key']).toBe('k');
    expect(seen.headers['x-pass']).toBeUndefined();
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('reports a Forgot-password URL that does not answer 200', async () => {
    w.setPassthrough({ forgotPasswordUrl: `${svc.url}/nope?u={{USEREMAIL}}` });
    const r = await forgot({ email: 'erin@globex.test' });
    expect(r.status).toBe(202);
    expect(r.json).toEqual(ACCEPTED);
    expect(lastForgot()).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('answered 401') });
  });

  it('says so when a pass-through account has no Forgot-password URL', async () => {
    w.setPassthrough({ forgotPasswordUrl: null });
    const r = await forgot({ email: 'erin@globex.test' });
    expect(r.status).toBe(202);
    expect(r.json).toEqual(ACCEPTED);
    expect(lastForgot()).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('no Forgot-password URL'),
    });
  });

  it('answers an unknown email exactly as a local reset, and sends nothing', async () => {
    const sent = w.mail.length;
    const unknown = await forgot({ email: 'nobody@initech.test' });
    const known = await forgot({ email: 'ivan@initech.test' });
    expect(unknown.status).toBe(202);
    expect(unknown.json).toEqual(known.json);
    expect(w.mail.length).toBe(sent + 1);
    expect(w.mail.at(-1)!.to).toBe('ivan@initech.test');
  });

  it('needs the account when the email has several (the audit says so; the public answer does not)', async () => {
    const r = await forgot({ email: 'dana@example.test' });
    expect(r.status).toBe(202);
    expect(r.json).toEqual(ACCEPTED);
    expect(lastForgot()).toMatchObject({ outcome: 'choose_account' });
  });

  it('local flow: a hashed, one-time, 30-minute token sets a new password', async () => {
    await forgot({ email: 'ivan@initech.test' });
    const token = /"token": "([A-Za-z0-9_-]+)"/.exec(w.mail.at(-1)!.text)![1]!;
    expect(w.mail.at(-1)!.text).toContain('within 30 minutes');
    const stored = w.store.db
      .prepare('SELECT token_hash, expires_at - created_at AS ttl FROM password_resets ORDER BY id DESC')
      .get() as { token_hash: string; ttl: number };
    expect(stored.token_hash).not.toContain(token);
    expect(stored.ttl).toBe(30 * 60_000);

    expect((await post(`${w.api}/auth/password/reset`, { token, password: 'short' })).status).toBe(400);
    const r = await post(`${w.api}/auth/password/reset`, { token, password: 'brand-new-password' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'password_changed' });
    expect(
      (await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: 'brand-new-password' })).status,
    ).toBe(200);
    expect((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: PASSWORD })).status).toBe(401);
    const again = await post(`${w.api}/auth/password/reset`, { token, password: 'another-password' });
    expect(again.status).toBe(400);
    expect(again.json.error).toMatchObject({ code: 'invalid_token' });
    // An earlier token of the same user was spent by the reset too.
    const older = /"token": "([A-Za-z0-9_-]+)"/.exec(w.mail.at(-2)!.text)![1]!;
    expect((await post(`${w.api}/auth/password/reset`, { token: older, password: 'another-password' })).status).toBe(
      400,
    );
  });

  it('an expired token is refused', async () => {
    await forgot({ email: 'ivan@initech.test' });
    const token = /"token": "([A-Za-z0-9_-]+)"/.exec(w.mail.at(-1)!.text)![1]!;
    w.store.db.prepare('UPDATE password_resets SET expires_at = ? WHERE used_at IS NULL').run(Date.now() - 1);
    expect((await post(`${w.api}/auth/password/reset`, { token, password: 'brand-new-password-2' })).status).toBe(400);
  });

  it('rejects bad input with 400', async () => {
    expect((await forgot({})).status).toBe(400);
    expect((await forgot('nope')).status).toBe(400);
    expect((await post(`${w.api}/auth/password/reset`, { token: 'x' })).status).toBe(400);
  });

  it('the default mailer keeps messages encrypted in the outbox', async () => {
    const { configureAuth } = await import('../../src/main/engine/passthrough/service');
    const { createDispatch } = await import('../../src/main/engine/dispatch');
    const { createHandlers } = await import('../../src/main/engine/handlers');
    configureAuth(w.ctx, { throttle: { lockAfter: 1000 } });
    const dispatch = createDispatch(createHandlers(w.ctx), () => {});
    const r = await dispatch('simulate.forgotPassword', { email: 'ivan@initech.test' });
    expect(r).toMatchObject({ ok: true, value: { status: 202 } });
    const box = (await dispatch('simulate.outbox', undefined)) as {
      ok: true;
      value: Array<{ to: string; text: string }>;
    };
    expect(box.value[0]!.to).toBe('ivan@initech.test');
    const token = /"token": "([A-Za-z0-9_-]+)"/.exec(box.value[0]!.text)![1]!;
    const raw = JSON.stringify(w.store.db.prepare('SELECT * FROM auth_outbox').all());
    expect(raw).not.toContain(token);
  });
});
