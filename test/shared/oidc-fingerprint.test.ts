import { describe, expect, it } from 'vitest';
import { oidcFingerprint, resolveOidcDraft, type StoredOidc } from '../../src/shared/oidc-fingerprint';

const stored: StoredOidc = {
  preset: 'generic',
  presetParams: {},
  issuer: 'https://idp.example.com',
  clientId: 'desk',
  scopes: ['openid', 'email'],
  redirectHost: '127.0.0.1',
  redirectPort: 8765,
  clientAuth: 'client_secret_basic',
  userClaim: 'email',
  secretRef: 'ref:aaa',
  keyRef: null,
};
const saved = oidcFingerprint({}, stored);

describe('oidcFingerprint(draft, stored): one fingerprint for engine and console', () => {
  it('an absent field keeps the stored value; repeating it changes nothing; scope order and spaces do not count', () => {
    expect(oidcFingerprint({ redirectPort: 8765, clientAuth: 'client_secret_basic', userClaim: 'email' }, stored)).toBe(
      saved,
    );
    expect(
      oidcFingerprint(
        { scopes: [' email', 'openid '], issuer: 'https://idp.example.com/', clientId: ' desk ' },
        stored,
      ),
    ).toBe(saved);
    expect(oidcFingerprint({ clientSecret: '' }, stored)).toBe(saved);
  });

  it.each([
    ['redirectPort', { redirectPort: 9000 }],
    ['redirectPort (any port)', { redirectPort: null }],
    ['clientAuth', { clientAuth: 'client_secret_post' as const }],
    ['userClaim', { userClaim: 'upn' }],
    ['redirectHost', { redirectHost: 'localhost' }],
    ['a new secret', { clientSecret: 'x' }],
    ['removing the secret', { clearClientSecret: true }],
    ['a new key', { newClientKey: true }],
    ['an imported key', { clientPrivateKey: '-----BEGIN PRIVATE KEY-----' }],
    ['private_key_jwt without a stored key', { clientAuth: 'private_key_jwt' as const }],
  ])('changes with %s', (_name, d) => {
    expect(oidcFingerprint(d, stored)).not.toBe(saved);
  });

  it('a stored secret or key replaced changes the saved fingerprint too', () => {
    expect(oidcFingerprint({}, { ...stored, secretRef: 'ref:bbb' })).not.toBe(saved);
    expect(oidcFingerprint({}, { ...stored, keyRef: 'ref:k' })).not.toBe(saved);
  });

  it('resolves as Save does: removing the secret of a secret method falls back to auto; a blank claim is email', () => {
    expect(resolveOidcDraft({ clearClientSecret: true }, stored)).toMatchObject({
      clientAuth: 'auto',
      secretRef: null,
    });
    expect(resolveOidcDraft({ userClaim: '  ' }, stored).userClaim).toBe('email');
    expect(resolveOidcDraft({}, undefined)).toMatchObject({
      redirectPort: null,
      clientAuth: 'auto',
      userClaim: 'email',
      scopes: ['email', 'openid', 'profile'],
    });
  });
});
