import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../oidc/helpers';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import type { AuditRow } from '../../src/shared/contract/audit';

/**
 * A settings event reads as a change: old → new per field in its reason (the line the Audit list shows
 * and its full-text search covers), secrets only as "changed", with the account and who changed it.
 */
let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await oidcEngineFor(world.booted.ctx).close();
  await world.close();
});

async function call<T>(name: string, input?: unknown): Promise<T> {
  const r = (await world.booted.dispatch(name, input)) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const search = async (text: string) =>
  (await call<{ events: AuditRow[] }>('audit.list', { filter: { text } })).events.map((e) => e.kind);

describe('settings changes in the audit log', () => {
  it('switching the IdP to Okta: old → new per field, the secret as "changed", found by any old or new value', async () => {
    const oldIssuer = world.booted.urls.idp!;
    oidcEngineFor(world.booted.ctx).save({
      account: 'acme',
      enabled: false,
      preset: 'okta',
      presetParams: { domain: 'acme.okta.com' },
      issuer: 'https://acme.okta.com',
      clientId: '0oa1okta',
      clientSecret: 'okta-secret-value-981',
      clearClientSecret: false,
      scopes: ['openid', 'email', 'profile'],
      redirectHost: '127.0.0.1',
      actor: 'admin@acme.test',
    });
    const [saved] = (await call<{ events: AuditRow[] }>('audit.list', { filter: { text: 'okta' } })).events;
    expect(saved).toMatchObject({ kind: 'sso.oidc.save', accountName: 'Acme Corp', actor: 'admin@acme.test' });
    expect(saved!.reason).toMatch(
      /^SSO switched off — password login restored: enabled: true → false; preset: \S+ → okta; /,
    );
    expect(saved!.reason).toContain(`issuer: ${oldIssuer} → https://acme.okta.com`);
    expect(saved!.reason).toContain('clientId: sso-desk-demo → 0oa1okta');
    expect(saved!.reason).toContain('clientSecret changed');
    expect(saved!.reason).not.toContain('okta-secret-value-981');

    // Any old or new value finds it; the secret does not.
    expect(await search('sso-desk-demo')).toContain('sso.oidc.save');
    expect(await search('0oa1okta')).toEqual(['sso.oidc.save']);
    expect(await search('acme.okta.com')).toEqual(['sso.oidc.save']);
    expect(await search('okta-secret-value-981')).toEqual([]);

    // The detail keeps each change for the Audit screen's table.
    const detail = await call<{ detail: { changes: Array<{ field: string; old: unknown; new: unknown }> } }>(
      'audit.get',
      { id: saved!.id },
    );
    expect(detail.detail.changes).toContainEqual({ field: 'oidc.clientId', old: 'sso-desk-demo', new: '0oa1okta' });
  });

  it('Platform SSO settings read as old → new too', async () => {
    await call('tokens.settings.set', { account: 'globex', embeddable: false });
    const [platform] = (await call<{ events: AuditRow[] }>('audit.list', { filter: { text: 'embeddable' } })).events;
    expect(platform!.reason).toBe('Platform SSO of Globex Inc: embeddable: true → false');
  });
});
