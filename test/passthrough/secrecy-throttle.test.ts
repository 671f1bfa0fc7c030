import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD, post, service, world, type World } from './helpers';
import { queryAudit } from '../../src/main/store/audit';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { hashPassword } from '../../src/main/engine/crypto/hash';
import { setPasswordHash, findUserByEmail } from '../../src/main/store/users';

describe('the password stays secret', () => {
  let w: World;
  let svc: Awaited<ReturnType<typeof service>>;
  // Distinctive, so that a hit in the files cannot be chance.
  const SECRET = 'Zq7-unique-Pa55word-Xy9';
  beforeAll(async () => {
    svc = await service((seen, res) => {
      // The service echoes what it got, as a careless one would: the engine must scrub it.
      res.writeHead(seen.body.includes(SECRET) ? 200 : 401, { 'Content-Type': 'text/plain' });
      res.end(`you sent ${seen.body} ${seen.url}`);
    });
    w = await world({ passthroughUrl: `${svc.url}/login` });
    setPasswordHash(w.store.db, findUserByEmail(w.store.db, 'ivan@initech.test')!.id, await hashPassword(SECRET));
  });
  afterAll(async () => {
    await w.close();
    await svc.close();
  });

  it('never reaches SQLite, the WAL, the log, the audit or a trace', async () => {
    w.setPassthrough({ url: `${svc.url}/login?p={{USERPASSWORD}}`, headers: { 'X-Secret': '{{USERPASSWORD}}' } });
    const dispatch = createDispatch(createHandlers(w.ctx), (l) => w.logs.push(l));
    const results: unknown[] = [];
    // Success and failure, pass-through and local, HTTP and Simulator.
    results.push((await post(`${w.api}/auth/login`, { email: 'erin@globex.test', password: SECRET })).json);
    results.push((await post(`${w.api}/auth/login`, { email: 'erin@globex.test', password: `${SECRET}-wrong` })).json);
    results.push((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: SECRET })).json);
    results.push((await post(`${w.api}/auth/login`, { email: 'ivan@initech.test', password: `${SECRET}!` })).json);
    results.push((await post(`${w.api}/auth/login`, { email: 'nobody@x.test', password: SECRET })).json);
    results.push(await dispatch('simulate.passwordLogin', { email: 'erin@globex.test', password: SECRET }));
    results.push(await dispatch('simulate.passwordLogin', { email: 'dana@example.test', password: SECRET }));
    expect((results[0] as { status: string }).status).toBe('authenticated');
    expect((results[2] as { status: string }).status).toBe('authenticated');

    const needles = [
      SECRET,
      Buffer.from(SECRET).toString('base64'),
      Buffer.from(`erin@globex.test:${SECRET}`).toString('base64'),
    ];
    const files = readdirSync(w.dir).filter((f) => f.startsWith('sso-desk.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['sso-desk.sqlite', 'sso-desk.sqlite-wal']));
    for (const f of files) {
      const bytes = readFileSync(join(w.dir, f));
      for (const n of needles) expect(bytes.includes(Buffer.from(n)), `${n} in ${f}`).toBe(false);
    }
    const audit = queryAudit(w.store.db, {}, { limit: 1000 });
    expect(audit.filter((e) => e.kind === 'auth.login').length).toBe(7);
    const texts = [JSON.stringify(audit), w.logs.join('\n'), JSON.stringify(results)];
    for (const t of texts) for (const n of needles) expect(t.includes(n)).toBe(false);
    // …while the trace still shows where the password went.
    expect(JSON.stringify(audit)).toContain('p=••••');
    expect(JSON.stringify(audit)).toContain('you sent {\\"email\\":\\"erin@globex.test\\",\\"password\\":\\"••••\\"}');
  });
});

describe('throttling', () => {
  let w: World;
  let svc: Awaited<ReturnType<typeof service>>;
  const slept: number[] = [];
  let now = 1_700_000_000_000;
  beforeAll(async () => {
    svc = await service((seen, res) => res.writeHead(seen.body.includes('"right"') ? 200 : 401).end());
    w = await world({
      passthroughUrl: `${svc.url}/login`,
      auth: {
        throttle: { freeFailures: 2, delayMs: 100, maxDelayMs: 1000, lockAfter: 4, lockMs: 60_000 },
        sleep: async (ms) => void slept.push(ms),
      },
    });
    (w.ctx as { clock: { now(): number } }).clock = { now: () => now };
    // The throttle read the clock through ctx when it was made: remake it over the fake clock.
    const { configureAuth } = await import('../../src/main/engine/passthrough/service');
    w.svc = configureAuth(w.ctx, {
      throttle: { freeFailures: 2, delayMs: 100, maxDelayMs: 1000, lockAfter: 4, lockMs: 60_000 },
      sleep: async (ms) => void slept.push(ms),
    });
  });
  afterAll(async () => {
    await w.close();
    await svc.close();
  });
  const login = (email: string, password: string) => post(`${w.api}/auth/login`, { email, password });

  it('slows down, then refuses with 429 and Retry-After, then lets in again; success resets', async () => {
    expect((await login('erin@globex.test', 'wrong')).status).toBe(401);
    expect((await login('erin@globex.test', 'wrong')).status).toBe(401);
    expect(slept).toEqual([]);
    expect((await login('erin@globex.test', 'wrong')).status).toBe(401);
    expect(slept).toEqual([100]);
    const calls = svc.seen.length;
    const locked = await login('erin@globex.test', 'wrong');
    expect(slept).toEqual([100, 200]);
    expect(locked.status).toBe(401);
    const refused = await login('erin@globex.test', 'right');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.json).toMatchObject({ error: { code: 'too_many_attempts' }, retryAfter: 60 });
    expect(svc.seen.length).toBe(calls + 1);
    now += 61_000;
    expect((await login('erin@globex.test', 'wrong')).status).toBe(401);
    expect((await login('erin@globex.test', 'right')).status).toBe(200);
    slept.length = 0;
    expect((await login('erin@globex.test', 'wrong')).status).toBe(401);
    expect((await login('erin@globex.test', 'wrong')).status).toBe(401);
    expect(slept).toEqual([]);
  });

  it('on loopback, failures for other emails lock nobody out: all local callers together are only slowed', async () => {
    now += 3600_000;
    slept.length = 0;
    // lockAfter 4: the shared-address ceiling is 5 × 4 = 20 failures, then each attempt waits.
    for (let i = 0; i < 22; i++) expect((await login(`u${i}@x.test`, 'x')).status).toBe(401);
    expect(slept.length).toBeGreaterThan(0);
    const r = await login('ivan@initech.test', PASSWORD);
    expect(r.status).toBe(200);
  }, 90_000);

  it('counts failures per client address across emails when the address is not shared', async () => {
    now += 3600_000;
    const { passwordLogin } = await import('../../src/main/engine/passthrough/login');
    const meta = { peer: '203.0.113.7', actor: 'api' as const };
    for (const e of ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test'])
      expect((await passwordLogin(w.svc, { email: e, password: 'x' }, meta)).status).toBe(401);
    const r = await passwordLogin(w.svc, { email: 'ivan@initech.test', password: PASSWORD }, meta);
    expect(r.status).toBe(429);
    expect(r.message).toContain('this address');
    // Another address is not concerned.
    expect(
      (await passwordLogin(w.svc, { email: 'ivan@initech.test', password: PASSWORD }, { ...meta, peer: '203.0.113.8' }))
        .status,
    ).toBe(200);
  });

  it('takes its numbers from the auth.throttle settings row', async () => {
    const { putSetting } = await import('../../src/main/store/settings');
    const { configureAuth, THROTTLE_SETTING } = await import('../../src/main/engine/passthrough/service');
    putSetting(w.store.db, THROTTLE_SETTING, { lockAfter: 2, lockMs: 30_000, freeFailures: 'x' });
    const svc = configureAuth(w.ctx, { sleep: async () => {} });
    expect(svc.throttle.settings).toMatchObject({ lockAfter: 2, lockMs: 30_000, freeFailures: 3 });
    now += 3600_000;
    await login('frank@nowhere.test', 'x');
    await login('frank@nowhere.test', 'x');
    const r = await login('frank@nowhere.test', 'x');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('30');
  });

  it('auth.throttle.set changes the numbers at once, keeps counted failures, audits old → new, and survives a restart of the service', async () => {
    const { configureAuth, authService } = await import('../../src/main/engine/passthrough/service');
    const { createDispatch } = await import('../../src/main/engine/dispatch');
    const { createHandlers } = await import('../../src/main/engine/handlers');
    const dispatch = createDispatch(createHandlers(w.ctx), () => {});
    configureAuth(w.ctx, { sleep: async () => {} });
    now += 3600_000;
    const numbers = {
      freeFailures: 1,
      delayMs: 0,
      maxDelayMs: 0,
      lockAfter: 3,
      lockMs: 45_000,
      windowMs: 600_000,
      maxKeys: 1000,
    };
    await login('frank@later.test', 'x');
    const set = await dispatch('auth.throttle.set', numbers);
    expect(set).toMatchObject({ ok: true, value: numbers });
    expect(await dispatch('auth.throttle.get', undefined)).toMatchObject({ ok: true, value: numbers });
    // The failure counted before the change still counts: two more and the third is refused.
    await login('frank@later.test', 'x');
    await login('frank@later.test', 'x');
    const r = await login('frank@later.test', 'x');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('45');
    const audit = w.store.db
      .prepare(
        "SELECT reason, detail FROM audit_events WHERE kind = 'settings.change' AND reason LIKE 'login throttling%' ORDER BY id DESC LIMIT 1",
      )
      .get() as { reason: string; detail: string };
    expect(JSON.parse(audit.detail).changes).toContainEqual({
      field: 'auth.throttle.lockMs',
      old: 30_000,
      new: 45_000,
    });
    // Kept in the settings row: a new service reads the same numbers.
    expect(configureAuth(w.ctx).throttle.settings).toEqual(numbers);
    expect(authService(w.ctx).throttle.settings.lockMs).toBe(45_000);
    // Bad numbers are refused with the field named.
    expect(await dispatch('auth.throttle.set', { ...numbers, maxDelayMs: 10, delayMs: 500 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'maxDelayMs' },
    });
    expect(await dispatch('auth.throttle.set', { ...numbers, lockAfter: 1 })).toMatchObject({
      ok: false,
      error: { field: 'lockAfter' },
    });
  });
});
