import { afterEach, beforeEach, expect, it } from 'vitest';
import { startWorld, waitFor, type World } from '../oidc/helpers';
import type { SimRunView } from '../../src/shared/contract/simulator';
import { listDemoCredentials } from '../../src/main/store/demo-credentials';

/*
 * Issue #23, point 6: every verdict names the real reason. A deactivated member hears "deactivated" in
 * the Simulator (not "type the password"), and Try it shows the audit's real reason for a deactivated
 * team member (the Platform API itself still answers "not found").
 */
let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(() => world.close());

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = (await world.booted.dispatch(name, input)) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
async function until(runId: string): Promise<SimRunView> {
  let last: SimRunView | undefined;
  await waitFor(async () => (last = await call<SimRunView>('simulate.run.status', { runId })).state === 'done', 15_000);
  return last!;
}

it('the Simulator says a deactivated SSO user is deactivated, whatever the password', async () => {
  await call('directory.memberships.setStatus', { account: 'acme', email: 'carol@acme.test', status: 'deactivated' });
  const started = await call<SimRunView>('simulate.run.start', { email: 'carol@acme.test', method: 'auto' });
  const v = await until(started.runId);
  expect(v.outcome).toMatchObject({ ok: false, code: 'deactivated' });
  expect(v.outcome!.sentence).toMatch(/^carol@acme\.test is deactivated in Acme Corp, so every sign-in is refused/);
  expect(v.outcome!.sentence).not.toMatch(/type the password/);
});

it('Try it and the audit name a deactivated team member as deactivated; the API answers not found', async () => {
  await call('directory.memberships.setStatus', { account: 'acme', email: 'carol@acme.test', status: 'deactivated' });
  // The demo world's keys, as the console offers them (stored encrypted for exactly this).
  const { db } = world.booted.ctx.store;
  const value = (kind: string, botId: string | null) =>
    world.booted.ctx.platform.secrets.decrypt(
      listDemoCredentials(db).find((c) => c.kind === kind && c.accountId === 'acme' && c.botId === botId)!.valueEnc,
    );
  const keys = {
    account: value('AccountAPIKey', null),
    botKey: value('BotAPIKey', 'helpdesk'),
    botSecret: value('BotAPISecret', 'helpdesk'),
  };
  const r = await call<{ status: number; body: { error: { message: string } }; reason?: string }>('tokens.tryIt', {
    accountKey: keys.account,
    botKey: keys.botKey,
    botSecret: keys.botSecret,
    email: 'carol@acme.test',
  });
  expect(r.status).toBe(404);
  expect(r.body.error.message).toBe('no user with this email is the owner of this bot or on its team');
  expect(r.reason).toBe(
    'carol@acme.test is deactivated in account "Acme Corp" (answered: no user with this email is the owner of this bot or on its team)',
  );
});
