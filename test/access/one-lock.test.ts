import { afterEach, beforeEach, expect, it } from 'vitest';
import { CodeBrowser, startWorld, type World } from '../oidc/helpers';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { authService, configureAuth } from '../../src/main/engine/passthrough/service';

/*
 * Issue #23, point 5: one lock for every password check. A user locked out (here by wrong passwords at
 * the embedded IdP's form, or on POST /auth/login) is refused by the demo pass-through service and by
 * the embedded IdP too, even with the right password; Unlock (clearEmail) lets the next right one in.
 */
let world: World;
beforeEach(async () => {
  world = await startWorld();
  // Small numbers and no real waiting: the lock is what is under test, not the delays.
  configureAuth(world.booted.ctx, {
    sleep: async () => {},
    throttle: { freeFailures: 1, delayMs: 1, maxDelayMs: 1, lockAfter: 3, lockMs: 60_000 },
  });
});
afterEach(async () => {
  await oidcEngineFor(world.booted.ctx).close();
  await world.close();
});

const demo = (email: string, password: string) =>
  fetch(world.booted.urls.passthrough!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
const login = (email: string, password: string, account?: string) =>
  fetch(`${world.booted.urls.api}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, ...(account ? { account } : {}) }),
  });
async function atIdp(email: string, password: string) {
  const start = await oidcEngineFor(world.booted.ctx).flows.start('dana@example.test', 'acme');
  return new CodeBrowser().signInAtIdp(start.authorizationUrl, email, password);
}

it('locked at the embedded IdP: POST /auth/login and the demo pass-through service refuse the right password too', async () => {
  expect((await demo('dana@example.test', world.password)).status).toBe(200);
  for (let i = 0; i < 3; i++)
    expect(await atIdp('dana@example.test', 'wrong-password')).toEqual({
      loginError: 'Unknown email or wrong password.',
    });
  expect(await atIdp('dana@example.test', world.password)).toMatchObject({
    loginError: expect.stringMatching(/^Too many failed sign-ins for this email/),
  });
  expect((await login('dana@example.test', world.password, 'globex')).status).toBe(429);
  const refused = await demo('dana@example.test', world.password);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

  // Unlock clears every key of the email together: the next right password gets in everywhere.
  expect(authService(world.booted.ctx).throttle.clearEmail('dana@example.test').length).toBeGreaterThan(0);
  expect((await demo('dana@example.test', world.password)).status).toBe(200);
  expect((await login('dana@example.test', world.password, 'globex')).status).toBe(200);
});

it('locked on POST /auth/login: the embedded IdP refuses the right password', async () => {
  for (let i = 0; i < 3; i++) expect((await login('erin@globex.test', 'wrong-password')).status).toBe(401);
  expect((await login('erin@globex.test', world.password)).status).toBe(429);
  expect(await atIdp('erin@globex.test', world.password)).toMatchObject({
    loginError: expect.stringMatching(/^Too many failed sign-ins for this email/),
  });
});

it('the user page lists every key that locks the user in the throttle’s numbers; Unlock lets the next right password in', async () => {
  type Reply = { ok: true; value: any } | { ok: false; error: { message: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const call = (name: string, input: unknown) => world.booted.dispatch(name, input) as Promise<Reply>;
  const page = async () => {
    const r = await call('directory.user.get', { email: 'erin@globex.test' });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.lockouts as Array<{
      key: string;
      failures: number;
      attemptsLeft: number;
      refusedForSeconds: number | null;
    }>;
  };
  expect(await page()).toEqual([]);
  expect((await login('erin@globex.test', 'wrong-password')).status).toBe(401);
  const once = await page();
  expect(once.find((l) => l.key === 'email:erin@globex.test')).toMatchObject({ failures: 1, attemptsLeft: 2 });
  expect(once.find((l) => l.key === 'account:globex:erin@globex.test')).toMatchObject({ failures: 1, attemptsLeft: 2 });

  for (let i = 0; i < 2; i++) expect((await login('erin@globex.test', 'wrong-password')).status).toBe(401);
  const refused = await login('erin@globex.test', world.password);
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  const locked = await page();
  // The seconds shown are the seconds the throttle refuses (the same clock, the same rounding).
  expect(locked.find((l) => l.key === 'email:erin@globex.test')!.refusedForSeconds).toBe(retryAfter);
  expect(locked.every((l) => l.refusedForSeconds === null || l.attemptsLeft === 0)).toBe(true);

  const unlocked = await call('directory.user.unlock', { email: 'erin@globex.test' });
  expect(unlocked).toMatchObject({ ok: true, value: { cleared: expect.arrayContaining(['email:erin@globex.test']) } });
  expect(await page()).toEqual([]);
  expect((await login('erin@globex.test', world.password)).status).toBe(200);
});
