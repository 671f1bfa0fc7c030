/**
 * The fingerprint of an OIDC configuration as far as a Test connection or a test sign-in depends on
 * it: a later edit of any of these fields changes the fingerprint, so the old result no longer counts
 * as evidence for switching SSO on. Computed the same way by the engine (which enforces) and the
 * console (which marks a result stale). Not a secret and not a security boundary: a checksum of
 * non-secret fields (the client secret is never part of it; the console never holds it).
 * Fields that change how SSO Desk talks to the IdP belong in `FINGERPRINT_FIELDS`.
 */
import { buildPresetIssuer } from './oidc-presets';

export const FINGERPRINT_FIELDS = ['clientId', 'scopes', 'redirectHost'] as const;

export interface FingerprintInput {
  preset: string;
  presetParams: Readonly<Record<string, string>>;
  issuer: string;
  clientId: string;
  scopes: readonly string[];
  redirectHost?: string;
  [extra: string]: unknown;
}

/** The issuer a draft stands for: built from the preset's values, or the IdP URL as typed. */
export function effectiveIssuer(d: Pick<FingerprintInput, 'preset' | 'presetParams' | 'issuer'>): string {
  if (d.preset !== 'generic') {
    const built = buildPresetIssuer(d.preset, d.presetParams);
    if (built.ok) return built.issuer;
    return '';
  }
  return d.issuer.trim();
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

export function configFingerprint(d: FingerprintInput): string {
  const parts: Record<string, unknown> = { issuer: effectiveIssuer(d).replace(/\/+$/, '') };
  for (const f of FINGERPRINT_FIELDS) {
    const v = d[f];
    parts[f] = f === 'scopes' ? [...(v as readonly string[]).map((s) => s.trim()).filter(Boolean)].sort() : typeof v === 'string' ? v.trim() : (v ?? null);
  }
  return cyrb53(JSON.stringify(parts));
}
