import { explainIdpError } from '@shared/idp-errors';
import type { Finding } from '@shared/contract/diagnose';
import { finding, type Check } from './model';

/**
 * `user_not_registered`, `user_deactivated`, `sso_required`: what SSO Desk itself answered (its
 * `/auth/login` JSON codes and its callback page), and the IdP answers that mean the same (Entra ID
 * AADSTS50034 and AADSTS50057).
 */
const RULES: Array<{
  code: Finding['code'];
  json: string[];
  text: RegExp;
  aadsts: string[];
  message: string;
  fix: string;
}> = [
  {
    code: 'user_not_registered',
    json: ['not_registered'],
    text: /is not (a )?registered( user)?|user account does not exist/i,
    aadsts: ['AADSTS50034'],
    message: 'The user is not registered: the IdP signed them in, but the account has no user with that identity.',
    fix: 'Add the user to the account (Settings › Directory), or check that the IdP sends the claim the account matches users on.',
  },
  {
    code: 'user_deactivated',
    json: ['deactivated'],
    text: /deactivated|account is disabled|user account is disabled/i,
    aadsts: ['AADSTS50057'],
    message: 'The user is deactivated, so every sign-in path refuses them.',
    fix: 'Reactivate the member in Settings › Directory (or at the IdP, when provisioning deactivated them).',
  },
  {
    code: 'sso_required',
    json: ['sso_required'],
    text: /sign in with SSO|SSO is (required|enforced)/i,
    aadsts: [],
    message: 'Password login was refused because the account enforces SSO.',
    fix: 'Use "Sign in with SSO" for this account.',
  },
];

export const checkUserAnswers: Check = (ctx) => {
  const out: Finding[] = [];
  for (const [index, ex] of ctx.exchanges.entries()) {
    if (!['callback', 'sso_desk_login', 'error', 'login', 'deep_link'].includes(ex.kind)) continue;
    // SSO Desk answers `{error: {code, message}}`; other apps often `{code, message}`.
    const err = (typeof ex.json?.error === 'object' && ex.json.error !== null ? ex.json.error : ex.json) as Record<
      string,
      unknown
    > | null;
    const code = typeof err?.code === 'string' ? err.code : null;
    const message = typeof err?.message === 'string' ? err.message : '';
    const body = ex.json ? message : (ex.raw?.responseBody ?? '');
    const aadsts = explainIdpError({ error_description: ex.params.get('error_description') ?? '' }).aadsts;
    const failed = (ex.raw?.status ?? 0) >= 400 || ex.params.has('error');
    for (const r of RULES) {
      const hit =
        (code !== null && r.json.includes(code)) ||
        (aadsts !== null && r.aadsts.includes(aadsts)) ||
        (failed && r.text.test(body.slice(0, 20_000)));
      if (!hit) continue;
      out.push(
        finding(
          r.code,
          'error',
          { step: ex.step, index },
          `${r.message}${message ? ` (“${message.slice(0, 200)}”)` : ''}`,
          r.fix,
        ),
      );
      break;
    }
  }
  return out;
};
