import { listAccounts } from '@main/store/accounts';
import { getOidc } from '@main/store/sso-config';
import type { Db } from '@main/store/db';
import type { AccountSettings } from './model';

/** The accounts with OIDC settings, as the diagnosis compares them (no secret leaves the store). */
export function accountSettings(db: Db): AccountSettings[] {
  const out: AccountSettings[] = [];
  for (const a of listAccounts(db)) {
    const o = getOidc(db, a.id);
    if (!o || !o.issuer || !o.clientId) continue;
    out.push({
      id: a.id,
      name: a.name,
      issuer: o.issuer,
      clientId: o.clientId,
      userClaim: o.userClaim || 'email',
      enabled: o.enabled,
    });
  }
  return out;
}
