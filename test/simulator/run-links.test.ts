import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, waitFor, type World } from '../oidc/helpers';
import type { SimRunView } from '../../src/shared/contract/simulator';
import type { AuditRow } from '../../src/shared/contract/audit';

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

describe('Audit: who acted, and the events a Simulator run caused', () => {
  it('a saved run links to the login it caused (and back); Actor filters; "hide Simulator runs" hides both; rows carry account names', async () => {
    // A customer's own login first (the API), then support's replay of it (the Simulator).
    const res = await fetch(`${world.booted.urls.api}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'frank@globex.test', password: 'not-franks-password' }),
    });
    expect(res.status).toBe(401);
    const started = await call<SimRunView>('simulate.run.start', {
      email: 'frank@globex.test',
      password: 'also-wrong',
      method: 'password',
    });
    let run: SimRunView | undefined;
    await waitFor(
      async () => (run = await call<SimRunView>('simulate.run.status', { runId: started.runId })).state === 'done',
      15_000,
    );
    const { auditId } = await call<{ auditId: number }>('simulate.save', { runId: run!.runId });

    const saved = await call<AuditRow & { related: AuditRow[] }>('audit.get', { id: auditId });
    expect(saved).toMatchObject({
      kind: 'simulation.run',
      actor: 'simulator',
      runId: run!.runId,
      accountName: 'Globex Inc',
    });
    expect(saved.related).toEqual([
      expect.objectContaining({
        kind: 'auth.login',
        email: 'frank@globex.test',
        actor: 'simulator',
        runId: run!.runId,
      }),
    ]);
    const login = await call<AuditRow & { related: AuditRow[] }>('audit.get', { id: saved.related[0]!.id });
    expect(login.related.map((r) => r.id)).toEqual([auditId]);

    const logins = async (filter: Record<string, unknown>) =>
      (await call<{ events: AuditRow[] }>('audit.list', { filter: { ...filter, text: 'frank' } })).events.map(
        (e) => `${e.kind}/${e.actor}`,
      );
    expect(await logins({})).toEqual(['simulation.run/simulator', 'auth.login/simulator', 'auth.login/api 127.0.0.1']);
    expect(await logins({ hideSimulator: true })).toEqual(['auth.login/api 127.0.0.1']);
    expect(await logins({ actor: 'simulator' })).toEqual(['simulation.run/simulator', 'auth.login/simulator']);
    // Without the text search too (the SQL path, not the full-text one).
    const all = (await call<{ events: AuditRow[] }>('audit.list', { filter: { hideSimulator: true } })).events;
    expect(all.some((e) => e.actor === 'simulator')).toBe(false);
    expect(all.find((e) => e.kind === 'auth.login')?.accountName).toBe('Globex Inc');

    const facets = await call<{ actors: string[]; accounts: Array<{ id: string; name: string }> }>(
      'audit.facets',
      undefined,
    );
    expect(facets.actors).toEqual(expect.arrayContaining(['simulator', 'api 127.0.0.1']));
    expect(facets.accounts).toEqual(expect.arrayContaining([{ id: 'globex', name: 'Globex Inc' }]));
  });
});
