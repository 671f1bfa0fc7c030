import type { Finding } from '@shared/contract/diagnose';
import { keysFromJson } from '../key-sources';
import { verifySignature } from '../verify-signature';
import { finding, type Check } from './model';
import { jwtsOf } from './id-tokens';

/**
 * `signature_invalid`: an ID token whose signature does not verify with the IdP's keys when the
 * capture carries them (the jwks_uri answer), through the Inspector's own verifier (RFC 7515 §5.2).
 */
export const checkSignature: Check = async (ctx) => {
  const out: Finding[] = [];
  if (ctx.jwks.length === 0) return [];
  for (const t of jwtsOf(ctx, 'id_token')) {
    const keys = ctx.jwks.flatMap((j) => {
      const m = keysFromJson(j, 'the JWKS in the capture');
      return m.ok ? m.material.keys : [];
    });
    if (keys.length === 0) continue;
    const checks = await verifySignature(t.token, t.header, { mode: 'set', keys, label: 'the JWKS in the capture' });
    const failed = checks.find((c) => !c.ok);
    if (!failed) continue;
    out.push(
      finding(
        'signature_invalid',
        'error',
        t,
        `The ID token’s signature does not verify: ${failed.detail}`,
        'A token changed on its way (a proxy, a copy) or signed with a key the IdP no longer ' +
          'publishes: sign in again; if it persists, check the IdP’s signing keys.',
      ),
    );
  }
  return out;
};
