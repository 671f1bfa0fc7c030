import type { Finding } from '@shared/contract/diagnose';
import { finding, ofKind, type Check } from './model';

/**
 * Compares the capture with an account's SSO settings wherever it names that account's issuer or
 * client ID: "the HAR's client_id is X; Acme Corp's settings have Y". Reported as `issuer_mismatch` or
 * `audience_mismatch` on the authorize step, where the wrong value was sent.
 */
export const checkSettings: Check = (ctx) => {
  const out: Finding[] = [];
  for (const a of ofKind(ctx, 'authorize')) {
    const clientId = a.params.get('client_id');
    let origin = '';
    let path = '';
    try {
      const u = new URL(a.raw?.url ?? '');
      origin = u.origin;
      path = u.pathname;
    } catch {
      continue;
    }
    const byIssuer = ctx.accounts.find(
      (acc) => acc.issuer && (origin + path).startsWith(acc.issuer.replace(/\/+$/, '')),
    );
    if (byIssuer && clientId && clientId !== byIssuer.clientId && !ctx.accounts.some((x) => x.clientId === clientId))
      out.push(
        finding(
          'audience_mismatch',
          'error',
          a,
          `The HAR's client_id is ${clientId}; ${byIssuer.name}'s settings have ${byIssuer.clientId}.`,
          `Use the client ID of the app registered for ${byIssuer.name} at the IdP, in the settings and in the app that signs in.`,
        ),
      );
    const byClient = ctx.accounts.find((acc) => clientId && acc.clientId === clientId);
    if (byClient && byClient.issuer && !(origin + path).startsWith(new URL(byClient.issuer).origin))
      out.push(
        finding(
          'issuer_mismatch',
          'error',
          a,
          `The HAR's sign-in went to ${origin}; ${byClient.name}'s settings have the IdP ${byClient.issuer}.`,
          `Sign in through the IdP in ${byClient.name}'s settings, or correct the IdP URL there.`,
        ),
      );
  }
  return out;
};
