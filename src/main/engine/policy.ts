import type { Db } from '../store/db';
import { accountsOfEmail, type AccountRow } from '../store/accounts';
import { findUserByEmail } from '../store/users';
import { getOidc, getPassthrough } from '../store/sso-config';
import type { Role } from '../../shared/domain';

export type SignInMethod = 'sso' | 'passthrough' | 'password';

/** What one account allows for one user, and why, in words a support person can paste into a ticket. */
export interface AccountDecision {
  accountId: string;
  accountName: string;
  role: Role;
  /** The method this account uses for a login with a password (never 'sso': SSO needs no password). */
  passwordMethod: 'passthrough' | 'password' | null;
  ssoEnabled: boolean;
  reason: string;
}

export type PolicyVerdict =
  | { kind: 'not_registered'; email: string; reason: string }
  | { kind: 'decided'; email: string; userId: number; accounts: AccountDecision[] };

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function decideAccount(db: Db, email: string, account: AccountRow & { role: Role }): AccountDecision {
  const oidc = getOidc(db, account.id);
  const base = { accountId: account.id, accountName: account.name, role: account.role };
  // SSO is enforced only where the plan allows it: a switched-on config on a downgraded plan does not lock users out.
  if (oidc?.enabled && account.plan === 'enterprise') {
    const since = oidc.enabledAt ? ` since ${day(oidc.enabledAt)}` : '';
    const by = oidc.enabledBy ? ` by ${oidc.enabledBy}` : '';
    return {
      ...base,
      passwordMethod: null,
      ssoEnabled: true,
      reason: `${email}: password refused for ${account.name} — SSO enforced${since}${by}; use "Sign in with SSO"`,
    };
  }
  const pt = getPassthrough(db, account.id);
  if (pt?.enabled) {
    return {
      ...base,
      passwordMethod: 'passthrough',
      ssoEnabled: false,
      reason: `${email}: ${account.name} uses external authentication — the password is checked by ${safeHost(pt.url)}`,
    };
  }
  return { ...base, passwordMethod: 'password', ssoEnabled: false, reason: `${email}: ${account.name} checks the SSO Desk password` };
}

const safeHost = (url: string): string => {
  try {
    return new URL(url.replace(/\{\{[A-Z]+\}\}/g, 'x')).host;
  } catch {
    return 'the configured Authentication URL';
  }
};

/**
 * Which sign-in methods an email may use for which of its accounts, and why.
 * An unknown email is `not_registered`: no external service may be called for it.
 */
export function decide(db: Db, rawEmail: string): PolicyVerdict {
  const email = rawEmail.trim().toLowerCase();
  const user = findUserByEmail(db, email);
  if (!user) return { kind: 'not_registered', email, reason: `${email} is not a registered user` };
  return { kind: 'decided', email, userId: user.id, accounts: accountsOfEmail(db, email).map((a) => decideAccount(db, email, a)) };
}
