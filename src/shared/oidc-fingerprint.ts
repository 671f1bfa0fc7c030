/**
 * The fingerprint of an OIDC configuration as far as a Test connection or a test sign-in depends on
 * it: a later edit of any of these fields changes the fingerprint, so the old result no longer counts
 * as evidence for switching SSO on. One function, `oidcFingerprint(draft, stored)`, serves the engine
 * (which enforces: the saved row, Test connection's draft, the switch-on draft) and the console (which
 * marks a result stale), so the three can never disagree about which fields count.
 * Not a secret and not a security boundary: a checksum of non-secret fields. The client secret and
 * the private key are never part of it; they count through opaque references that change whenever a
 * new one is stored (a hash of the ciphertext, or of the public JWKS), or `new` for one in a draft.
 */
import { buildPresetIssuer } from './oidc-presets';
import type { ClientAuthMethod } from './domain';

/** Every field that changes what the IdP sees from SSO Desk (or what SSO Desk accepts from it). */
export const FINGERPRINT_FIELDS = [
  'issuer',
  'clientId',
  'scopes',
  'redirectHost',
  'redirectPort',
  'clientAuth',
  'userClaim',
  'secretRef',
  'keyRef',
] as const;

/** The saved configuration as the engine (from its row) or the console (from its view) knows it. */
export interface StoredOidc {
  preset: string;
  presetParams: Readonly<Record<string, string>>;
  issuer: string;
  clientId: string;
  scopes: readonly string[];
  redirectHost: string;
  redirectPort: number | null;
  clientAuth: ClientAuthMethod;
  userClaim: string;
  /** Changes whenever another client secret is stored; null: none stored. */
  secretRef: string | null;
  /** Changes whenever another private key (private_key_jwt) is stored; null: none stored. */
  keyRef: string | null;
}

/** A draft as `sso.oidc.save` / `sso.oidc.test` take it: every field may be absent (= keep the stored value). */
export type OidcDraftFields = {
  [K in Exclude<keyof StoredOidc, 'secretRef' | 'keyRef'>]?: StoredOidc[K] | undefined;
} & {
  clientSecret?: string | undefined;
  clearClientSecret?: boolean | undefined;
  clientPrivateKey?: string | undefined;
  newClientKey?: boolean | undefined;
};

/**
 * What a configuration stands for once a draft is applied over what is stored: the stored fields
 * without the preset (it has become the issuer), scopes normalised. `secretRef`/`keyRef` are `new` for
 * a secret or key in the draft, not stored yet (no test sign-in can have used it).
 */
export type ResolvedOidc = Omit<StoredOidc, 'preset' | 'presetParams' | 'scopes'> & { scopes: string[] };

/** The issuer a draft stands for: built from the preset's values, or the IdP URL as typed. */
export function effectiveIssuer(d: {
  preset: string;
  presetParams: Readonly<Record<string, string>>;
  issuer: string;
}): string {
  if (d.preset !== 'generic') {
    const built = buildPresetIssuer(d.preset, d.presetParams);
    if (built.ok) return built.issuer;
    return '';
  }
  return d.issuer.trim();
}

const DEFAULTS: StoredOidc = {
  preset: 'generic',
  presetParams: {},
  issuer: '',
  clientId: '',
  scopes: ['openid', 'email', 'profile'],
  redirectHost: '127.0.0.1',
  redirectPort: null,
  clientAuth: 'auto',
  userClaim: 'email',
  secretRef: null,
  keyRef: null,
};

/**
 * Applies a draft over the stored configuration, field by field: an absent field keeps the stored
 * value (or the default of a new configuration), the same rules `saveConfig` follows when it writes.
 */
export function resolveOidcDraft(d: OidcDraftFields, stored: StoredOidc | undefined): ResolvedOidc {
  const s = stored ?? DEFAULTS;
  const preset = d.preset ?? s.preset;
  const presetParams = d.presetParams ?? s.presetParams;
  const issuer = effectiveIssuer({ preset, presetParams, issuer: d.issuer ?? s.issuer });
  // Removing the secret without naming a method makes a kept secret method moot: back to auto.
  const secretMethod = s.clientAuth === 'client_secret_basic' || s.clientAuth === 'client_secret_post';
  const clientAuth = d.clientAuth ?? (d.clearClientSecret && secretMethod ? 'auto' : s.clientAuth);
  const secretRef = d.clearClientSecret ? null : d.clientSecret ? 'new' : s.secretRef;
  const keyChanged = Boolean(d.newClientKey) || Boolean(d.clientPrivateKey?.trim());
  // private_key_jwt without a stored key: saving generates one, which no test can have used yet.
  const keyRef = keyChanged || (clientAuth === 'private_key_jwt' && s.keyRef === null) ? 'new' : s.keyRef;
  return {
    issuer: issuer.replace(/\/+$/, ''),
    clientId: (d.clientId ?? s.clientId).trim(),
    scopes: [...(d.scopes ?? s.scopes).map((x) => x.trim()).filter(Boolean)].sort(),
    redirectHost: d.redirectHost ?? s.redirectHost,
    redirectPort: d.redirectPort !== undefined ? d.redirectPort : s.redirectPort,
    clientAuth,
    userClaim: d.userClaim !== undefined ? d.userClaim.trim() || 'email' : s.userClaim,
    secretRef,
    keyRef,
  };
}

/** 53-bit string hash (cyrb53): stable across runtimes, no Node or DOM needed. */
function cyrb53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** An opaque reference to a stored credential (its ciphertext or public JWKS): changes when it is replaced. */
export const credentialRef = (text: string | null): string | null => (text === null ? null : `ref:${cyrb53(text)}`);

/** The fingerprint of a draft applied over the stored configuration; `oidcFingerprint({}, stored)` is the saved one's. */
export function oidcFingerprint(d: OidcDraftFields, stored: StoredOidc | undefined): string {
  const r = resolveOidcDraft(d, stored);
  const parts: Record<string, unknown> = {};
  for (const f of FINGERPRINT_FIELDS) parts[f] = r[f];
  return cyrb53(JSON.stringify(parts));
}
