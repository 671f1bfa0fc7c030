import { describeChanges, diffSettings } from '../audit/settings-diff';
import { endMemberAccess } from '../access/end-access';
import type { Db } from '../../store/db';
import { getAccount, listAccounts, updateAccountFlags, type AccountRow } from '../../store/accounts';
import { appendAudit } from '../../store/audit';
import { DeskError, notFound } from '@shared/errors';
import type { Plan } from '@shared/domain';
import { embeddableGate, ssoLoginGate, type Gate } from '@shared/platform-sso-plans';

export interface PlatformSsoSettings {
  account: string;
  name: string;
  plan: Plan;
  ssoLogin: boolean;
  embeddable: boolean;
  gates: { ssoLogin: Gate; embeddable: Gate };
}

const view = (a: AccountRow): PlatformSsoSettings => {
  const ssoLogin = a.packages.includes('sso-login');
  return {
    account: a.id,
    name: a.name,
    plan: a.plan,
    ssoLogin,
    embeddable: a.embeddable,
    gates: { ssoLogin: ssoLoginGate(a.plan), embeddable: embeddableGate(a.plan, ssoLogin) },
  };
};

export const listPlatformSso = (db: Db): PlatformSsoSettings[] => listAccounts(db).map(view);

/**
 * Switches the SSO Login package and the embeddable option of an account. Switching on is checked
 * against the plan gates (shared/platform-sso-plans.ts); switching off always works. Switching SSO
 * Login off also switches embeddable off, since only SSO links open embeddable pages.
 * @throws DeskError `plan_required` (403) with the gate's reason; `not_found`.
 */
export function setPlatformSso(
  db: Db,
  input: { account: string; ssoLogin?: boolean | undefined; embeddable?: boolean | undefined },
  now: number,
): PlatformSsoSettings {
  const a = getAccount(db, input.account);
  if (!a) throw notFound(`no account "${input.account}"`);
  const ssoLogin = input.ssoLogin ?? a.packages.includes('sso-login');
  const embeddable = ssoLogin ? (input.embeddable ?? a.embeddable) : false;
  if (ssoLogin && !a.packages.includes('sso-login')) {
    const g = ssoLoginGate(a.plan);
    if (!g.allowed) throw new DeskError('plan_required', g.reason, { field: 'ssoLogin', status: 403 });
  }
  if (input.embeddable === true && !(a.embeddable && ssoLogin)) {
    const g = embeddableGate(a.plan, ssoLogin);
    if (!g.allowed) throw new DeskError('plan_required', g.reason, { field: 'embeddable', status: 403 });
  }
  const packages = ssoLogin
    ? [...new Set([...a.packages, 'sso-login' as const])]
    : a.packages.filter((p) => p !== 'sso-login');
  const changes = diffSettings(
    'platformSso',
    { ssoLogin: a.packages.includes('sso-login'), embeddable: a.embeddable },
    { ssoLogin, embeddable },
    { plain: ['ssoLogin', 'embeddable'] },
  );
  const reason = `Platform SSO of ${a.name}: ${describeChanges(changes) || 'saved unchanged'}`;
  if (a.packages.includes('sso-login') && !ssoLogin)
    // Switching SSO Login off ends the deep links already handed out, in the same transaction.
    endMemberAccess({
      db,
      now,
      actor: 'console',
      method: 'platform-sso',
      accountId: a.id,
      scope: { kind: 'account-deep-links' },
      audit: { kind: 'platform-sso.settings', reason, changes },
      change: () => updateAccountFlags(db, a.id, { packages, embeddable }),
    });
  else
    db.transaction(() => {
      updateAccountFlags(db, a.id, { packages, embeddable });
      appendAudit(db, {
        at: now,
        kind: 'platform-sso.settings',
        accountId: a.id,
        actor: 'console',
        method: 'platform-sso',
        outcome: 'ok',
        reason,
        detail: { changes },
      });
    })();
  return view(getAccount(db, a.id)!);
}
