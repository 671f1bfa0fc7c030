import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers';
import { seedDemoIfEmpty } from '../../src/main/engine/workspace/demo';
import { OidcEngine } from '../../src/main/engine/oidc/engine';
import { getOidc } from '../../src/main/store/sso-config';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { PRESET_DEFINITIONS, findPreset } from '../../src/shared/oidc-presets';

/** The new OIDC settings on save and import: fixed port, client authentication, user claim, key pair. */
let t: ReturnType<typeof testContext>;
let engine: OidcEngine;
beforeEach(async () => {
  t = testContext();
  await seedDemoIfEmpty(t.store.db, t.ctx.platform.secrets);
  engine = new OidcEngine(t.ctx);
});
afterEach(async () => {
  await engine.close();
  t.close();
});

const base = {
  account: 'acme',
  enabled: false,
  preset: 'generic' as const,
  presetParams: {},
  issuer: 'https://idp.example.com',
  clientId: 'desk-app',
  clearClientSecret: false,
  scopes: ['openid', 'email'],
  redirectHost: '127.0.0.1' as const,
  actor: 'admin@acme.test',
};

describe('OIDC client settings', () => {
  it('defaults: any port, auto, email; a form that leaves the new fields out keeps them', () => {
    const v = engine.save(base);
    expect(v).toMatchObject({
      redirectPort: null,
      redirectUri: 'http://127.0.0.1/callback',
      clientAuth: 'auto',
      clientAuthEffective: 'none',
      userClaim: 'email',
      clientKeySet: false,
      clientJwks: null,
    });
    engine.save({
      ...base,
      redirectPort: 8765,
      userClaim: 'upn',
      clientSecret: 's3cret-value',
      clientAuth: 'client_secret_post',
    });
    const kept = engine.save(base);
    expect(kept).toMatchObject({
      redirectPort: 8765,
      redirectUri: 'http://127.0.0.1:8765/callback',
      userClaim: 'upn',
      clientAuth: 'client_secret_post',
      clientAuthEffective: 'client_secret_post',
    });
    expect(engine.save({ ...base, redirectPort: null, clientAuth: 'auto' })).toMatchObject({
      redirectPort: null,
      clientAuthEffective: 'client_secret_basic',
    });
  });

  it.each([80, 1023, 65536, 8765.5])('refuses fixed port %s with the field named; nothing saved', (port) => {
    engine.save({ ...base, redirectPort: 9000 });
    expect(() => engine.save({ ...base, redirectPort: port, clientId: 'changed' })).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        field: 'redirectPort',
        message: expect.stringMatching(
          /^redirectPort: a fixed port must be a whole number from 1024 to 65535.*Nothing was saved\.$/,
        ),
      }),
    );
    expect(getOidc(t.store.db, 'acme')).toMatchObject({ redirectPort: 9000, clientId: 'desk-app' });
  });

  it('refuses a private key that does not parse, with the field named; nothing saved', async () => {
    expect(() =>
      engine.save({
        ...base,
        clientAuth: 'private_key_jwt',
        clientPrivateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----',
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'clientPrivateKey' }));
    expect(getOidc(t.store.db, 'acme')).toBeUndefined();
    // Over the edge too: a 4xx-style typed error, never a 500.
    const r = await createDispatch(createHandlers(t.ctx), t.ctx.log)('sso.oidc.save', {
      ...base,
      clientPrivateKey: '{"kty":"RSA"}',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'clientPrivateKey' } });
  });

  it('imports an admin’s key (PEM or JWK): only the public half is shown, the private one stored encrypted', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const v = engine.save({ ...base, clientAuth: 'private_key_jwt', clientPrivateKey: pem });
    expect(v.clientJwks!.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(JSON.stringify(v)).not.toContain('PRIVATE');
    expect(getOidc(t.store.db, 'acme')!.clientKeyEnc).not.toContain('PRIVATE KEY');
    const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    expect(engine.save({ ...base, clientPrivateKey: jwk }).clientJwks).toEqual(v.clientJwks);
    const rotated = engine.save({ ...base, newClientKey: true });
    expect(rotated.clientJwks!.keys[0]!.kid).not.toBe(v.clientJwks!.keys[0]!.kid);
  });

  it('client_secret_basic or _post without a secret is refused on save', () => {
    expect(() => engine.save({ ...base, clientAuth: 'client_secret_basic' })).toThrow(
      expect.objectContaining({ field: 'clientSecret' }),
    );
  });

  it('a workspace file carries the new fields; a bad port or key names its path and imports nothing', async () => {
    const file = (oidc: Record<string, unknown>) =>
      JSON.stringify({
        format: 'sso-desk/workspace@1',
        accounts: [
          {
            id: 'wayne',
            name: 'Wayne',
            plan: 'enterprise',
            oidc: { enabled: false, issuer: 'https://idp.example.com', clientId: 'w-app', ...oidc },
          },
        ],
      });
    await expect(importWorkspace(t.store.db, t.ctx.platform.secrets, file({ redirectPort: 80 }))).rejects.toMatchObject(
      { field: 'accounts[0].oidc.redirectPort' },
    );
    await expect(
      importWorkspace(t.store.db, t.ctx.platform.secrets, file({ clientPrivateKey: 'nope' })),
    ).rejects.toMatchObject({ field: 'accounts[0].oidc.clientPrivateKey' });
    expect(getOidc(t.store.db, 'wayne')).toBeUndefined();
    await importWorkspace(
      t.store.db,
      t.ctx.platform.secrets,
      file({
        redirectPort: 8765,
        clientAuth: 'client_secret_basic',
        userClaim: 'preferred_username',
        clientSecret: 'abcdefgh',
      }),
    );
    expect(engine.get('wayne')).toMatchObject({
      redirectPort: 8765,
      clientAuth: 'client_secret_basic',
      userClaim: 'preferred_username',
      redirectUri: 'http://127.0.0.1:8765/callback',
    });
  });
});

describe('presets say what each vendor needs of the redirect', () => {
  it('Okta proposes a fixed port and no longer claims any port works; Entra ID explains the claim', () => {
    const okta = findPreset('okta')!;
    expect(okta.redirect).toMatchObject({ port: 'fixed', proposedPort: 8765 });
    expect(okta.steps.join(' ')).not.toMatch(/accepts any port/);
    expect(okta.steps.join(' ')).toContain('port included');
    expect(findPreset('entra')!.redirect.port).toBe('any');
    expect(findPreset('entra')!.userClaim?.suggested).toBe('preferred_username');
    expect(findPreset('ping')!.redirect.port).toBe('any');
    expect(findPreset('keycloak')!.redirect.port).toBe('no-port');
    expect(findPreset('google')!.redirect.port).toBe('any');
    expect(PRESET_DEFINITIONS.every((p) => p.redirect.note.length > 0)).toBe(true);
  });
});
