import type { Db } from '../store/db';
import { accountsOfEmail, type AccountRow, type MembershipStatus } from '../store/accounts';
import { findUserByEmail } from '../store/users';
import { getOidc, getPassthrough } from '../store/sso-config';
import { getEnforcement } from '../store/sso-enforcement';
import { getSaml } from '../store/sso-saml';
import type { Role } from '@shared/domain';
import { describeStage, requiredBy, stageOf } from './oidc/stage';

export type SignInMethod = 'sso' | 'passthrough' | 'password';
export type SsoProtocol = 'oidc' | 'saml';

/** What one account allows for one user, and why, in words a support person can paste into a ticket. */
export interface AccountDecision {
  accountId: string;
  accountName: string;
  role: Role;
  /** The method this account uses for a login with a password (never 'sso': SSO needs no password). */
  passwordMethod: 'passthrough' | 'password' | null;
  ssoEnabled: boolean;
  /** The protocol of the account's SSO while it is enforced (OIDC or SAML 2.0), else null. */
  protocol: SsoProtocol | null;
  /** False when the membership is deactivated (by provisioning or an admin): every sign-in path refuses it. */
  active: boolean;
  reason: string;
}

export type PolicyVerdict =
  | { kind: 'not_registered'; email: string; reason: string }
  | { kind: 'decided'; email: string; userId: number; accounts: AccountDecision[] };

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

type MemberAccount = AccountRow & {
  role: Role;
  status: MembershipStatus;
  statusAt: number | null;
  statusBy: string | null;
};

/** 'scim:Okta' → 'by provisioning from Okta'; 'console' → 'by an admin in the console'. */
const describeStatusBy = (by: string | null): string =>
  by?.startsWith('scim:')
    ? `by provisioning from ${by.slice(5)}`
    : by === 'console'
      ? 'by an admin in the console'
      : by
        ? `by ${by}`
        : '';

function decideAccount(db: Db, email: string, userId: number, account: MemberAccount): AccountDecision {
  const base = { accountId: account.id, accountName: account.name, role: account.role, active: true };
  // A deactivated membership is refused by every path before any method is considered: no password is
  // checked, no external service is called, no IdP is visited.
  if (account.status === 'deactivated') {
    const how = [describeStatusBy(account.statusBy), account.statusAt ? `on ${day(account.statusAt)}` : '']
      .filter(Boolean)
      .join(' ');
    return {
      ...base,
      active: false,
      passwordMethod: null,
      ssoEnabled: false,
      protocol: null,
      reason: `${email}: deactivated in ${account.name}${how ? ` ${how}` : ''} — every sign-in to this account is refused`,
    };
  }
  const sso = ssoSwitchedOn(db, account.id);
  // SSO is enforced only where the plan allows it: a switched-on config on a downgraded plan does not lock users out.
  if (sso && account.plan === 'enterprise') {
    const since = sso.enabledAt ? ` since ${day(sso.enabledAt)}` : '';
    const by = sso.enabledBy ? ` by ${sso.enabledBy}` : '';
    const via = sso.protocol === 'saml' ? ' (SAML 2.0)' : '';
    // Staged enforcement: members outside the first stage keep their password (and may use SSO already).
    const staged = stageOf(db, account.id);
    if (!requiredBy(staged.stage, { role: account.role, userId }, staged.group)) {
      const pt = getPassthrough(db, account.id);
      const how = pt?.enabled ? `checked by ${safeHost(pt.url)}` : 'the SSO Desk password';
      return {
        ...base,
        passwordMethod: pt?.enabled ? 'passthrough' : 'password',
        ssoEnabled: true,
        protocol: sso.protocol,
        reason:
          `${email}: SSO is on for ${account.name}${since}${by}${via} but required only for ` +
          `${describeStage(staged.stage)} so far — may still use a password (${how})`,
      };
    }
    // Owner break-glass: owners keep their password (and SSO) so no one is locked out for good.
    const glass = account.role === 'owner' ? getEnforcement(db, account.id).ownerPassword : null;
    if (glass?.on) {
      const pt = getPassthrough(db, account.id);
      const how = pt?.enabled ? `checked by ${safeHost(pt.url)}` : 'the SSO Desk password';
      const set = [glass.by ? `by ${glass.by}` : '', glass.at ? `on ${day(glass.at)}` : ''].filter(Boolean).join(' ');
      return {
        ...base,
        passwordMethod: pt?.enabled ? 'passthrough' : 'password',
        ssoEnabled: true,
        protocol: sso.protocol,
        reason:
          `${email}: SSO${via} enforced for ${account.name}${since}${by}, but as an owner may ` +
          `still use a password (${how}) — owner break-glass switched on${set ? ` ${set}` : ''}`,
      };
    }
    return {
      ...base,
      passwordMethod: null,
      ssoEnabled: true,
      protocol: sso.protocol,
      reason: `${email}: password refused for ${account.name} — SSO${via} enforced${since}${by}; use "Sign in with SSO"`,
    };
  }
  const pt = getPassthrough(db, account.id);
  if (pt?.enabled) {
    return {
      ...base,
      passwordMethod: 'passthrough',
      ssoEnabled: false,
      protocol: null,
      reason: `${email}: ${account.name} uses external authentication — the password is checked by ${safeHost(pt.url)}`,
    };
  }
  return {
    ...base,
    passwordMethod: 'password',
    ssoEnabled: false,
    protocol: null,
    reason: `${email}: ${account.name} checks the SSO Desk password`,
  };
}

/**
 * The SSO switched on for an account, whichever protocol: an account has OIDC or SAML on, never both
 * (each save refuses the second), so the first found is the one.
 */
export function ssoSwitchedOn(
  db: Db,
  accountId: string,
): { protocol: SsoProtocol; enabledAt: number | null; enabledBy: string | null } | null {
  const oidc = getOidc(db, accountId);
  if (oidc?.enabled) return { protocol: 'oidc', enabledAt: oidc.enabledAt, enabledBy: oidc.enabledBy };
  const saml = getSaml(db, accountId);
  if (saml?.enabled) return { protocol: 'saml', enabledAt: saml.enabledAt, enabledBy: saml.enabledBy };
  return null;
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
  return {
    kind: 'decided',
    email,
    userId: user.id,
    accounts: accountsOfEmail(db, email).map((a) => decideAccount(db, email, user.id, a)),
  };
}

export type PasswordAction = 'login' | 'reset';

/** Whether a password login (or reset) is allowed for one email in one account, and why. */
export interface PasswordDecision {
  allowed: boolean;
  /** `sso_enforced` points the user to "Sign in with SSO"; `not_member` / `not_registered` refuse outright. */
  code: 'allowed' | 'sso_enforced' | 'not_member' | 'not_registered' | 'deactivated';
  method: 'passthrough' | 'password' | null;
  reason: string;
}

/**
 * SSO enforcement (DESIGN.md "OIDC SSO"): while SSO is on for an account, password login and
 * password reset are refused for its users there — and only there: a user in two accounts keeps
 * the password for the one without SSO. Turning SSO off restores the password.
 */
export function decidePassword(
  db: Db,
  rawEmail: string,
  accountId: string,
  action: PasswordAction = 'login',
): PasswordDecision {
  const verdict = decide(db, rawEmail);
  if (verdict.kind === 'not_registered')
    return { allowed: false, code: 'not_registered', method: null, reason: verdict.reason };
  const a = verdict.accounts.find((x) => x.accountId === accountId);
  if (!a)
    return {
      allowed: false,
      code: 'not_member',
      method: null,
      reason: `${verdict.email} is not a member of ${accountId}`,
    };
  if (!a.active) return { allowed: false, code: 'deactivated', method: null, reason: a.reason };
  // A password login is refused where SSO is enforced, unless the owner break-glass left a method;
  // a password reset is refused wherever SSO is on.
  if (a.ssoEnabled && (a.passwordMethod === null || action === 'reset')) {
    const reason =
      action === 'reset' ? a.reason.replace(': password refused for', ': password reset refused for') : a.reason;
    return { allowed: false, code: 'sso_enforced', method: null, reason };
  }
  return { allowed: true, code: 'allowed', method: a.passwordMethod, reason: a.reason };
}

/** The accounts of a verdict where "Sign in with SSO" applies. */
export const ssoAccounts = (verdict: PolicyVerdict, protocol?: SsoProtocol): AccountDecision[] =>
  verdict.kind === 'decided'
    ? verdict.accounts.filter((a) => a.ssoEnabled && a.active && (!protocol || a.protocol === protocol))
    : [];
