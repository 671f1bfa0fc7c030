import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, post, world, type World } from '../passthrough/helpers';
import { configureAuth } from '../../src/main/engine/passthrough/service';
import { passwordLogin } from '../../src/main/engine/passthrough/login';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { CodeBrowser, startWorld, type World as OidcWorld } from '../oidc/helpers';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';

const noWait = async () => {};
const WRONG = { error: { code: 'authentication_failed', message: 'Wrong email or password.' } };

describe('one throttle for every password check, atomic under concurrency', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());
  const fresh = () => configureAuth(w.ctx, { throttle: { lockAfter: 10 }, sleep: noWait });

  it('300 parallel wrong passwords for one email: at most the allowance is checked, the rest get 429', async () => {
    fresh();
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: 'wrong' })),
    );
    const byStatus = answers.reduce<Record<number, number>>(
      (m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }),
      {},
    );
    expect(byStatus[401]).toBe(10);
    expect(byStatus[429]).toBe(290);
    const checked = w.store.db
      .prepare(
        "SELECT count(*) AS n FROM audit_events WHERE kind = 'auth.login' AND email = 'ivan@initech.test' AND outcome = 'failed'",
      )
      .get() as { n: number };
    expect(checked.n).toBe(10);
    // After the lock the right password is refused too, with Retry-After.
    const right = await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: PASSWORD });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 120_000);

  it('a right password inside a burst of 39 wrong ones is refused', async () => {
    const svc = fresh();
    const meta = { peer: '127.0.0.1', actor: 'api' as const };
    // Each call reserves its attempt before its first await: the 40th, the right one, finds no allowance left.
    const wrong = Array.from({ length: 39 }, () =>
      passwordLogin(svc, { email: 'Ivan@Initech.test', password: 'wrong' }, meta),
    );
    const right = passwordLogin(svc, { email: 'ivan@initech.test', password: PASSWORD }, meta);
    const results = await Promise.all([...wrong, right]);
    expect(results.at(-1)).toMatchObject({ outcome: 'throttled', status: 429 });
    expect(results.filter((r) => r.outcome === 'failed')).toHaveLength(10);
    expect(results.filter((r) => r.outcome === 'authenticated')).toHaveLength(0);
  }, 120_000);

  it('on loopback, failures for unknown emails do not lock a known user out', async () => {
    fresh();
    for (let i = 0; i < 12; i++)
      expect((await post(`${w.api}/auth/login`, { email: `stranger${i}@x.test`, password: 'x' })).status).toBe(401);
    expect((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: PASSWORD })).status).toBe(200);
  }, 120_000);

  it('Simulator runs count nothing unless asked, and say how many attempts are left', async () => {
    fresh();
    const dispatch = createDispatch(createHandlers(w.ctx), () => {});
    for (let i = 0; i < 12; i++) {
      const r = (await dispatch('simulate.passwordLogin', { email: 'ivan@initech.test', password: 'wrong' })) as {
        ok: true;
        value: { outcome: string; attemptsLeft: number; trace: Array<{ step: string; detail: string }> };
      };
      expect(r.value.outcome).toBe('failed');
      expect(r.value.attemptsLeft).toBe(10);
      expect(r.value.trace[0]).toMatchObject({
        step: 'throttle',
        detail: expect.stringContaining('10 failed attempts left'),
      });
    }
    expect((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: PASSWORD })).status).toBe(200);
    // Support asks for the run to count: it does, like the customer's own attempt.
    const counted = (await dispatch('simulate.passwordLogin', {
      email: 'ivan@initech.test',
      password: 'wrong',
      countAgainstCustomer: true,
    })) as { ok: true; value: { attemptsLeft: number } };
    expect(counted.value.attemptsLeft).toBe(9);
    const next = (await dispatch('simulate.passwordLogin', { email: 'ivan@initech.test', password: 'wrong' })) as {
      ok: true;
      value: { attemptsLeft: number };
    };
    expect(next.value.attemptsLeft).toBe(9);
    // One name for the flag: the old `countAttempt` is refused by the contract, on both channels.
    for (const channel of ['simulate.passwordLogin', 'simulate.run.start']) {
      const old = (await dispatch(channel, { email: 'ivan@initech.test', password: 'wrong', countAttempt: true })) as {
        ok: boolean;
        error?: { message: string };
      };
      expect(old.ok).toBe(false);
      expect(old.error?.message).toMatch(/countAttempt/);
    }
  }, 120_000);

  it('an admin sees a lockout in the console and clears it, audited', async () => {
    fresh();
    const dispatch = createDispatch(createHandlers(w.ctx), () => {});
    for (let i = 0; i < 10; i++) await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: 'wrong' });
    expect((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: PASSWORD })).status).toBe(429);
    const list = (await dispatch('auth.throttle.lockouts', undefined)) as {
      ok: true;
      value: Array<{ key: string; kind: string; subject: string; lockedUntil: number | null }>;
    };
    const locked = list.value.filter((e) => e.lockedUntil !== null);
    expect(locked.map((e) => e.subject)).toEqual(
      expect.arrayContaining(['ivan@initech.test', 'ivan@initech.test in initech']),
    );
    for (const e of locked)
      expect(await dispatch('auth.throttle.clear', { key: e.key })).toEqual({ ok: true, value: { cleared: true } });
    expect((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: PASSWORD })).status).toBe(200);
    const audit = w.store.db
      .prepare("SELECT actor, email, reason FROM audit_events WHERE kind = 'auth.unlock' ORDER BY id")
      .all();
    expect(audit).toContainEqual({
      actor: 'console',
      email: 'ivan@initech.test',
      reason: 'cleared the login count of ivan@initech.test',
    });
  }, 120_000);
});

describe('answers that reveal nothing', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('POST /auth/login: an unknown email reads exactly like a wrong password', async () => {
    const unknown = await post(`${w.api}/auth/login`, { email: 'nobody@initech.test', password: 'guess' });
    const wrong = await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: 'guess' });
    const noAccount = await post(`${w.api}/auth/login`, { email: 'lone@nowhere.test', password: 'guess' });
    for (const r of [unknown, wrong, noAccount]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual(WRONG);
    }
    // The audit keeps the real reasons for support.
    const reasons = w.store.db.prepare("SELECT outcome FROM audit_events WHERE kind = 'auth.login' ORDER BY id").all();
    expect(reasons).toEqual([{ outcome: 'not_registered' }, { outcome: 'failed' }, { outcome: 'refused' }]);
  }, 60_000);

  it('POST /auth/password/forgot answers the same whether the email exists or not', async () => {
    const known = await post(`${w.api}/auth/password/forgot`, { email: 'ivan@initech.test' });
    const unknown = await post(`${w.api}/auth/password/forgot`, { email: 'nobody@initech.test' });
    const sso = await post(`${w.api}/auth/password/forgot`, { email: 'ann@acme.test' });
    expect(known.status).toBe(202);
    for (const r of [unknown, sso]) {
      expect(r.status).toBe(known.status);
      expect(r.json).toEqual(known.json);
    }
  });
});

describe('forgot-password is throttled and its rows are bounded', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());
  const count = (table: string) => (w.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('100 rapid calls store a handful of reset rows and messages, not 100', async () => {
    // The throttle off (a very high allowance): the store's own bounds hold.
    configureAuth(w.ctx, { throttle: { lockAfter: 1000 }, sleep: noWait });
    for (let i = 0; i < 100; i++) await post(`${w.api}/auth/password/forgot`, { email: 'ivan@initech.test' });
    expect(count('password_resets')).toBeLessThanOrEqual(3);
    expect(count('auth_outbox')).toBeLessThanOrEqual(5);
  }, 120_000);

  it('100 rapid calls for one email: the allowance, then 429 — the same for an unknown email', async () => {
    const statuses = async (email: string) => {
      configureAuth(w.ctx, { throttle: { lockAfter: 10 }, sleep: noWait });
      const all = await Promise.all(
        Array.from({ length: 100 }, () => post(`${w.api}/auth/password/forgot`, { email })),
      );
      return all.map((r) => r.status).sort();
    };
    const known = await statuses('ivan@initech.test');
    expect(known.filter((s) => s === 202)).toHaveLength(10);
    expect(known.filter((s) => s === 429)).toHaveLength(90);
    expect(await statuses('nobody@initech.test')).toEqual(known);
  }, 120_000);
});

describe('the embedded IdP form and the demo pass-through service share the throttle', () => {
  let o: OidcWorld;
  beforeAll(async () => {
    o = await startWorld();
    configureAuth(o.booted.ctx, { throttle: { lockAfter: 10 }, sleep: noWait });
  });
  afterAll(() => o.close());

  it('the IdP form refuses the right password after 39 wrong ones, and so does /auth/login', async () => {
    const start = await oidcEngineFor(o.booted.ctx).flows.start('ann@acme.test');
    const browser = new CodeBrowser();
    let res = await browser.request(start.authorizationUrl);
    while (res.status >= 300 && res.status < 400)
      res = await browser.request(new URL(res.headers.get('location')!, start.authorizationUrl).href);
    const html = await res.text();
    const action = new URL(/action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'), o.booted.urls.idp!).href;
    const submit = (password: string) =>
      browser.request(action, {
        method: 'POST',
        body: new URLSearchParams({ email: 'ann@acme.test', password }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 39; i++) {
      const r = await submit('wrong');
      statuses.push(r.status);
      await r.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(29);
    const right = await submit(o.password);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await right.text()).toContain('Too many failed sign-ins');
    // The same lock holds on POST /auth/login (ann's account enforces SSO, so ivan-like refusal reads 429 first).
    expect(
      (await post(`${o.booted.urls.api}/auth/login`, { email: 'ann@acme.test', password: o.password })).status,
    ).toBe(429);
  }, 180_000);

  it('the demo pass-through service refuses the right password after 39 wrong ones', async () => {
    const login = (password: string) =>
      fetch(o.booted.urls.passthrough!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'erin@globex.test', password }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 39; i++) statuses.push((await login('wrong')).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(29);
    const right = await login(o.password);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
  }, 180_000);
});
