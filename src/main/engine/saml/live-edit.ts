import type { Db } from '../../store/db';
import { getEnforcement } from '../../store/sso-enforcement';
import type { SamlRow } from '../../store/sso-saml';
import { DeskError } from '@shared/errors';
import { TEST_SIGNIN_WINDOW_MS } from '../oidc/enforcement';

/*
 * Edits of a live SAML setup, guarded as OIDC's are (oidc/live-edit.ts): while SAML SSO stays on, a save
 * that changes what the IdP or the ACS sees needs a passing Test connection of exactly the new settings,
 * and a change of IdP (entity ID or signing certificates: who asserts the users) a test sign-in too.
 * A new or removed SP key is refused while on: the IdP keeps encrypting to the certificate it has, so
 * every sign-in would fail until it is given the new one.
 */

/** Who asserts the users: a change of entity ID or signing certificates needs a test sign-in. */
const identityOf = (r: { idpEntityId: string; idpCerts: string[] }) =>
  JSON.stringify([r.idpEntityId, [...r.idpCerts].sort()]);

/** @throws DeskError `sso_edit_untested` (409, field `enabled` or `newSpKey`): SAML stays on with the saved settings. */
export function checkSamlLiveEdit(
  db: Db,
  accountName: string,
  draft: { account: string; newSpKey?: boolean | undefined; clearSpKey?: boolean | undefined },
  before: SamlRow,
  after: { idpEntityId: string; idpCerts: string[] },
  fingerprint: string,
  now: number,
): void {
  const keep = `SAML SSO stays on for ${accountName} with the saved settings; nothing was saved.`;
  const refuse = (why: string, field = 'enabled') =>
    new DeskError('sso_edit_untested', `Not saved: ${why}. ${keep}`, { field, status: 409 });
  if (draft.newSpKey || draft.clearSpKey)
    throw refuse(
      `a ${draft.newSpKey ? 'new' : 'removed'} SP key takes effect at once, while the IdP still encrypts ` +
        `assertions to the certificate it has — switch SAML SSO off, change the key, give the IdP the new ` +
        `SP metadata and test before switching it on again`,
      'newSpKey',
    );
  const e = getEnforcement(db, draft.account);
  if (!e.test || e.test.fingerprint !== fingerprint)
    throw refuse(
      'SAML SSO is on, and its users sign in through these settings the moment they are saved ' +
        '— run Test connection on exactly these settings first',
    );
  if (!e.test.ok) throw refuse(`the Test connection of these settings failed (${e.test.summary})`);
  if (identityOf(after) === identityOf(before)) return;
  const signedIn =
    e.signin !== null && e.signin.fingerprint === fingerprint && now - e.signin.at <= TEST_SIGNIN_WINDOW_MS;
  if (!signedIn)
    throw refuse(
      `a new IdP or signing certificate decides who can sign in — do a Test sign-in through these ` +
        `settings first (valid ${TEST_SIGNIN_WINDOW_MS / 60_000} minutes)`,
    );
}
