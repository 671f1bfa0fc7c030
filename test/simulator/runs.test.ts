import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, waitFor, type World } from '../oidc/helpers';
import { getAuditEvent } from '../../src/main/store/audit';
import type { SimRunView } from '../../src/shared/contract/simulator';
import { toHar } from '../../src/shared/har';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = (await world.booted.dispatch(name, input)) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** Polls a run the way the console does until it has an outcome (or the state asked for). */
async function until(runId: string, done: (v: SimRunView) => boolean = (v) => v.state === 'done'): Promise<SimRunView> {
  let last: SimRunView | undefined;
  await waitFor(async () => done((last = await call<SimRunView>('simulate.run.status', { runId }))), 15_000);
  return last!;
}

describe('Simulator runs through the real engines', () => {
  it('device defaults come from this machine', async () => {
    const d = await call<{ os: string; name: string; ip: string }>('simulate.device', undefined);
    expect(d.os.length).toBeGreaterThan(0);
    expect(d.name.length).toBeGreaterThan(0);
    expect(d.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('Auto on globex: the pass-through service refuses a wrong password, said in one sentence; the run saves without the password', async () => {
    const wrong = 'wrong-password-for-frank-7731';
    const started = await call<SimRunView>('simulate.run.start', {
      email: 'frank@globex.test',
      password: wrong,
      method: 'auto',
      device: { os: 'Linux', name: 'Frank’s laptop', ip: '10.1.2.3' },
    });
    expect(started.ran).toBe('password');
    const v = await until(started.runId);
    const host = new URL(world.booted.urls.passthrough!).host;
    expect(v.outcome).toMatchObject({ ok: false, code: 'authentication_failed' });
    expect(v.outcome!.sentence).toBe(
      `Globex Inc’s login service at ${host} did not accept the password for frank@globex.test (it answered 401 Unauthorized); ask them to check the password they use for that service.`,
    );
    expect(v.steps[0]).toMatchObject({ step: 'method choice', outcome: 'info' });
    expect(v.steps[0]!.detail).toMatch(/^Auto: .*→ password login$/);
    const exchange = v.steps.find((s) => s.step === 'external answer')!;
    expect(exchange.http!.response!.status).toBe(401);
    expect(JSON.stringify(v)).not.toContain(wrong);
    expect(JSON.stringify(toHar(v, 'test'))).not.toContain(wrong);

    const { auditId } = await call<{ auditId: number }>('simulate.save', { runId: v.runId });
    expect(await call<{ auditId: number }>('simulate.save', { runId: v.runId })).toEqual({ auditId });
    const row = getAuditEvent(world.booted.ctx.store.db, auditId)!;
    expect(row).toMatchObject({
      kind: 'simulation.run',
      email: 'frank@globex.test',
      accountId: 'globex',
      outcome: 'failed',
      method: 'password',
      reason: v.outcome!.sentence,
    });
    expect(row.detail).toMatchObject({
      input: { email: 'frank@globex.test', method: 'auto', device: { name: 'Frank’s laptop' } },
      code: 'authentication_failed',
    });
    expect(JSON.stringify(row)).not.toContain(wrong);
    expect((row.detail as { input: object }).input).not.toHaveProperty('password');
  });

  it('Password on Acme: SSO is required, in the words of the brief', async () => {
    const v = await until(
      (
        await call<SimRunView>('simulate.run.start', {
          email: 'ann@acme.test',
          password: 'whatever',
          method: 'password',
        })
      ).runId,
    );
    expect(v.outcome).toMatchObject({ ok: false, code: 'sso_required' });
    expect(v.outcome!.sentence).toBe(
      'Acme Corp requires single sign-on: ann should use “Sign in with SSO” instead of a password.',
    );
  });

  it('Auto with no password on a password account asks for one; an unknown email is said to be unknown', async () => {
    const a = await until(
      (await call<SimRunView>('simulate.run.start', { email: 'erin@globex.test', method: 'auto' })).runId,
    );
    expect(a.outcome).toMatchObject({ ok: false, code: 'missing_password' });
    const b = await until(
      (await call<SimRunView>('simulate.run.start', { email: 'nobody@globex.test', method: 'auto' })).runId,
    );
    expect(b.outcome).toMatchObject({ ok: false, code: 'not_registered' });
    expect(b.outcome!.sentence).toMatch(/^nobody@globex\.test is not a registered user/);
  });

  it('Auto on Acme runs Sign in with SSO: live steps, every check ok, and the session', async () => {
    const started = await call<SimRunView>('simulate.run.start', {
      email: 'ann@acme.test',
      method: 'auto',
      device: {},
    });
    expect(started.ran).toBe('sso');
    expect(started.state).toBe('waiting');
    expect(started.sso?.openedBy).toBe('console');
    expect(started.steps.map((s) => s.step)).toEqual([
      'method choice',
      'policy',
      'discovery document',
      'discovery',
      'listener',
      'authorize',
    ]);
    const r = await new CodeBrowser().signInAtIdp(started.sso!.authorizationUrl, 'ann@acme.test', world.password);
    const callback = (r as { callback: string }).callback;
    expect((await fetch(callback)).status).toBe(200);
    const v = await until(started.runId);
    expect(v.outcome).toMatchObject({ ok: true, code: null });
    expect(v.outcome!.sentence).toMatch(/^ann@acme\.test signed in to Acme Corp/);
    for (const check of ['signature', 'iss', 'aud', 'exp', 'nonce', 'email'])
      expect(v.steps.find((s) => s.step === check)?.outcome, check).toBe('ok');
    expect(v.steps.filter((s) => s.http).map((s) => s.step)).toEqual(['discovery document', 'token endpoint', 'JWKS']);
    expect(JSON.stringify(v)).not.toContain(new URL(callback).searchParams.get('code')!);
    // The ID token is never in the run, but can be handed to the Inspector on request.
    const { token } = await call<{ token: string }>('simulate.run.idToken', { runId: v.runId });
    expect(token.split('.')).toHaveLength(3);
    expect(JSON.stringify(v)).not.toContain(token.split('.')[2]!);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({
      email: 'ann@acme.test',
      aud: 'sso-desk-demo',
    });
  });

  it('validates input and names unknown runs', async () => {
    expect(await world.booted.dispatch('simulate.run.start', { email: 'a@b.test', method: 'telepathy' })).toMatchObject(
      { ok: false, error: { code: 'invalid_input' } },
    );
    expect(await world.booted.dispatch('simulate.run.status', { runId: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'runId' },
    });
    expect(await world.booted.dispatch('simulate.run.status', { runId: 'x'.repeat(24) })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await world.booted.dispatch('simulate.run.idToken', { runId: 'x'.repeat(24) })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const pw = await call<SimRunView>('simulate.run.start', {
      email: 'frank@globex.test',
      password: 'x',
      method: 'password',
      device: {},
    });
    expect(await world.booted.dispatch('simulate.run.idToken', { runId: pw.runId })).toMatchObject({
      ok: false,
      error: { code: 'no_id_token' },
    });
  });
});
