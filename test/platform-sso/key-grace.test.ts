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
const issue = (over: Record<string, string> = {}) =>
  post(`${run.api}/authorization/sso`, {
    AccountAPIKey: keys.acme,
    BotAPIKey: keys.helpdesk.key,
    BotAPISecret: keys.helpdesk.secret,
    Email: 'ann@acme.test',
    ...over,
  });

interface Info {
  last4: string;
  lastUsedAt: number | null;
  inGrace: Array<{ last4: string; graceUntil: number; lastUsedAt: number | null }>;
}
const acmeKey = async (): Promise<Info | null> =>
  (await call<{ accounts: Array<{ id: string; accountKey: Info | null }> }>('keys.list')).accounts.find(
    (a) => a.id === 'acme',
  )!.accountKey;

describe('keys: rotation with a grace period, and last use', () => {
  it('records when a key was last used, at most once a minute', async () => {
    expect((await acmeKey())?.lastUsedAt).toBeNull();
    expect((await issue()).status).toBe(200);
    const first = clock.now();
    expect((await acmeKey())?.lastUsedAt).toBe(first);
    clock.advance(30_000);
    expect((await issue()).status).toBe(200);
    expect((await acmeKey())?.lastUsedAt, 'not rewritten within a minute').toBe(first);
    clock.advance(31_000);
    expect((await issue()).status).toBe(200);
    expect((await acmeKey())?.lastUsedAt).toBe(clock.now());
    // A refused request (wrong secret) is not a use.
    clock.advance(120_000);
    expect((await issue({ BotAPISecret: 'sec_wrong' })).status).toBe(404);
    expect((await acmeKey())?.lastUsedAt).toBe(clock.now() - 120_000);
  });

  it('the replaced key keeps working until the grace period ends, then reads as not found', async () => {
    const old = keys.acme;
    const r = await call<{ value: string; replaced: boolean; graceUntil: number | null }>('keys.rotate', {
      account: 'acme',
      kind: 'account_key',
      graceSeconds: 3600,
    });
    expect(r.replaced).toBe(true);
    expect(r.graceUntil).toBe(clock.now() + 3_600_000);
    const listed = await acmeKey();
    expect(listed?.last4).toBe(r.value.slice(-4));
    expect(listed?.inGrace).toEqual([expect.objectContaining({ last4: old.slice(-4), graceUntil: r.graceUntil })]);
    expect((await issue()).status, 'old key during the grace period').toBe(200);
    expect((await issue({ AccountAPIKey: r.value })).status, 'new key').toBe(200);
    clock.advance(3_600_000 - 1);
    expect((await issue()).status).toBe(200);
    clock.advance(1);
    expect((await issue()).status, 'old key after the grace period').toBe(404);
    expect((await acmeKey())?.inGrace).toEqual([]);
    expect((await issue({ AccountAPIKey: r.value })).status).toBe(200);
    keys.acme = r.value;
    const audit = JSON.stringify(
      run.store.db.prepare("SELECT reason FROM audit_events WHERE kind = 'keys.rotate'").all(),
    );
    expect(audit).toMatch(/the old one works until 2026-11-25T/);
  });

  it('grace 0 cuts the old key at once; revoking ends a grace period too', async () => {
    const r0 = await call<{ value: string; graceUntil: number | null }>('keys.rotate', {
      account: 'acme',
      bot: 'helpdesk',
      kind: 'bot_secret',
      graceSeconds: 0,
    });
    expect(r0.graceUntil).toBeNull();
    expect((await issue()).status).toBe(404);
    keys.helpdesk.secret = r0.value;
    expect((await issue()).status).toBe(200);

    const old = keys.acme;
    const r = await call<{ value: string }>('keys.rotate', { account: 'acme', kind: 'account_key', graceSeconds: 600 });
    expect((await issue()).status).toBe(200);
    await call('keys.revoke', { account: 'acme', kind: 'account_key' });
    expect((await issue({ AccountAPIKey: old })).status).toBe(404);
    expect((await issue({ AccountAPIKey: r.value })).status).toBe(404);
  });

  it('refuses a grace period beyond 30 days or not in whole seconds', async () => {
    for (const graceSeconds of [31 * 24 * 3600, -1, 1.5]) {
      const r = await run.dispatch('keys.rotate', { account: 'acme', kind: 'account_key', graceSeconds });
      expect(r.ok).toBe(false);
      expect((r as { error: { code: string; field?: string } }).error).toMatchObject({
        code: 'invalid_input',
        field: 'graceSeconds',
      });
    }
  });
});
