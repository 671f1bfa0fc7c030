import type { Db } from '../../store/db';
import { getOidc, putOidc, type OidcRow } from '../../store/sso-config';
import { getEnforcement } from '../../store/sso-enforcement';
import { dropLastWorking, getLastWorking, keepLastWorking } from '../../store/sso-last-working';
import { appendAudit } from '../../store/audit';
import { DeskError, notFound } from '@shared/errors';
import { resolveOidcDraft, type OidcDraftFields } from '@shared/oidc-fingerprint';
import type { LastWorkingView } from '@shared/contract/oidc';
import { TEST_SIGNIN_WINDOW_MS, draftFingerprint, rowFingerprint, storedOidcOf } from './enforcement';

/*
 * Edits of a live SSO setup. Switching SSO on is guarded (enforcement.ts); the moments after must be
 * too: an IdP edited while SSO is on decides at once whether every member can sign in. So a save that
 * keeps SSO on and changes anything the IdP sees needs a passing Test connection of exactly the new
 * settings, and a change of IdP or client (who the users are asserted by) a test sign-in through them
 * as well. The configuration it replaces is kept: "Revert to last working" puts it back in one step.
 */

/** Who asserts the users' identity: a change of either needs a test sign-in, not only a Test connection. */
const identityOf = (r: { issuer: string; clientId: string }) => `${r.issuer.replace(/\/+$/, '')} ${r.clientId}`;

/**
 * @throws DeskError `sso_edit_untested` (409, field `enabled`): SSO stays on with the saved settings.
 */
export function checkLiveEdit(
  db: Db,
  accountName: string,
  draft: OidcDraftFields & { account: string; enabled: boolean },
  before: OidcRow | undefined,
  now: number,
): void {
  if (!before?.enabled || !draft.enabled) return;
  const fp = draftFingerprint(draft, before);
  if (fp === rowFingerprint(before)) return;
  const keep = `SSO stays on for ${accountName} with the saved settings; nothing was saved.`;
  const refuse = (why: string) =>
    new DeskError('sso_edit_untested', `Not saved: ${why}. ${keep}`, { field: 'enabled', status: 409 });
  const e = getEnforcement(db, draft.account);
  if (!e.test || e.test.fingerprint !== fp)
    throw refuse(
      'SSO is on, and its users sign in through these settings the moment they are saved ' +
        '— run Test connection on exactly these settings first',
    );
  if (!e.test.ok) throw refuse(`the Test connection of these settings failed (${e.test.summary})`);
  const after = resolveOidcDraft(draft, storedOidcOf(before));
  if (identityOf(after) === identityOf(before)) return;
  const signedIn = e.signin !== null && e.signin.fingerprint === fp && now - e.signin.at <= TEST_SIGNIN_WINDOW_MS;
  if (!signedIn)
    throw refuse(
      `a new IdP or client decides who can sign in — do a Test sign-in through these settings ` +
        `first (valid ${TEST_SIGNIN_WINDOW_MS / 60_000} minutes)`,
    );
}

/** After an accepted save: the live configuration it replaced becomes the last working one. */
export function keepIfLive(db: Db, before: OidcRow | undefined, after: OidcRow | undefined, by: string, now: number) {
  if (!before?.enabled || !after?.enabled) return;
  if (rowFingerprint(before) === rowFingerprint(after)) return;
  keepLastWorking(db, before, by, now);
}

export function lastWorkingView(db: Db, accountId: string): LastWorkingView | null {
  const l = getLastWorking(db, accountId);
  return l ? { issuer: l.config.issuer, clientId: l.config.clientId, keptAt: l.keptAt, keptBy: l.keptBy } : null;
}

/**
 * "Revert to last working": the kept configuration is saved again as it was (SSO stays on, the owner
 * break-glass is untouched), audited as old → new; the configuration reverted from is not kept.
 * @throws DeskError `not_found` when nothing is kept.
 */
export function revertToLastWorking(db: Db, account: { id: string; name: string }, actor: string, now: number): void {
  const kept = getLastWorking(db, account.id);
  if (!kept) throw notFound(`${account.name} has no last working SSO configuration to go back to`);
  const current = getOidc(db, account.id);
  db.transaction(() => {
    putOidc(db, {
      ...kept.config,
      enabled: true,
      enabledAt: current?.enabledAt ?? kept.config.enabledAt ?? now,
      enabledBy: current?.enabledBy ?? kept.config.enabledBy ?? actor,
      updatedAt: now,
    });
    dropLastWorking(db, account.id);
    appendAudit(db, {
      at: now,
      kind: 'sso.oidc.revert',
      accountId: account.id,
      actor,
      method: 'sso',
      outcome: 'ok',
      reason:
        `reverted the SSO settings of ${account.name} to the last working ones (kept ` +
        `${new Date(kept.keptAt).toISOString()} by ${kept.keptBy})`,
      detail: {
        changes: [
          { field: 'oidc.issuer', old: current?.issuer ?? null, new: kept.config.issuer },
          { field: 'oidc.clientId', old: current?.clientId ?? null, new: kept.config.clientId },
          { field: 'oidc.scopes', old: current?.scopes ?? null, new: kept.config.scopes },
        ],
      },
    });
  })();
}
