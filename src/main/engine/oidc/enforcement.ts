import type { Db } from '../../store/db';
import type { OidcRow } from '../../store/sso-config';
import { stageOf, stagePreview, type SsoStage } from './stage';
import { getEnforcement, ownerPasswordOn, setOwnerPassword } from '../../store/sso-enforcement';
import { appendAudit } from '../../store/audit';
import { DeskError } from '@shared/errors';
import { credentialRef, oidcFingerprint, type OidcDraftFields, type StoredOidc } from '@shared/oidc-fingerprint';
import type { EnforcementView } from '@shared/contract/oidc';

/** A test sign-in counts as evidence for switching SSO on for this long. */
export const TEST_SIGNIN_WINDOW_MS = 30 * 60_000;

/** The stored configuration in the shape the shared fingerprint takes (credentials as opaque references). */
export const storedOidcOf = (r: OidcRow | undefined): StoredOidc | undefined =>
  r && {
    preset: r.preset,
    presetParams: r.presetParams,
    issuer: r.issuer,
    clientId: r.clientId,
    scopes: r.scopes,
    redirectHost: r.redirectHost,
    redirectPort: r.redirectPort,
    clientAuth: r.clientAuth,
    userClaim: r.userClaim,
    secretRef: credentialRef(r.clientSecretEnc),
    keyRef: credentialRef(r.clientJwks),
  };

/** The fingerprint of the saved settings (what a test sign-in runs on). */
export const rowFingerprint = (r: OidcRow): string => oidcFingerprint({}, storedOidcOf(r));

/** The fingerprint of a draft applied over the saved settings (what Test connection and the switch-on check see). */
export const draftFingerprint = (d: OidcDraftFields, stored: OidcRow | undefined): string =>
  oidcFingerprint(d, storedOidcOf(stored));

/**
 * How many users of an account lose password login when SSO is switched on: its active members,
 * except its owners while the owner break-glass is on.
 */
export function usersLosingPassword(
  db: Db,
  accountId: string,
  keepOwners = ownerPasswordOn(db, accountId),
  stage: SsoStage | null = stageOf(db, accountId).stage,
): number {
  return stagePreview(db, accountId, stage, keepOwners).moving.length;
}

export function enforcementView(db: Db, accountId: string, saved: OidcRow | undefined, now: number): EnforcementView {
  return enforcementViewFor(db, accountId, saved ? rowFingerprint(saved) : null, now);
}

/** The enforcement view of an account for the saved settings of either protocol (their fingerprint). */
export function enforcementViewFor(
  db: Db,
  accountId: string,
  fingerprint: string | null,
  now: number,
): EnforcementView {
  const e = getEnforcement(db, accountId);
  return {
    fingerprint,
    lastTest: e.test,
    lastSignin: e.signin && { ...e.signin, withinWindow: now - e.signin.at <= TEST_SIGNIN_WINDOW_MS },
    signinWindowMinutes: TEST_SIGNIN_WINDOW_MS / 60_000,
    usersLosingPassword: usersLosingPassword(db, accountId, e.ownerPassword.on),
    activeMembers: usersLosingPassword(db, accountId, false, null),
    activeOwners: usersLosingPassword(db, accountId, false, null) - usersLosingPassword(db, accountId, true, null),
    stage: stageOf(db, accountId).stage,
    ownerPassword: e.ownerPassword,
  };
}

/**
 * Switching SSO on locks every member out of password login, so it needs evidence that SSO works:
 * a passing Test connection of exactly these settings, and either a test sign-in through them in
 * the last 30 minutes or a confirmation that names how many users lose password login.
 * @throws DeskError `sso_enable_untested` | `sso_enable_unconfirmed` (status 409, field `enabled`).
 */
export function checkSwitchOn(
  db: Db,
  accountName: string,
  draft: OidcDraftFields & {
    account: string;
    confirmLockout?: number | undefined;
    ownerPassword?: boolean | undefined;
    stage?: SsoStage | null | undefined;
  },
  stored: OidcRow | undefined,
  now: number,
): void {
  checkSwitchOnFingerprint(db, accountName, draftFingerprint(draft, stored), draft, now);
}

/**
 * The switch-on guard for any protocol: `fp` is the fingerprint of exactly the settings being switched
 * on (OIDC's or SAML's); a Test connection and a test sign-in count only for their own fingerprint.
 * @throws DeskError `sso_enable_untested` | `sso_enable_unconfirmed` (status 409, field `enabled`).
 */
export function checkSwitchOnFingerprint(
  db: Db,
  accountName: string,
  fp: string,
  draft: {
    account: string;
    confirmLockout?: number | undefined;
    ownerPassword?: boolean | undefined;
    stage?: Parameters<typeof usersLosingPassword>[3] | undefined;
  },
  now: number,
): void {
  const e = getEnforcement(db, draft.account);
  if (!e.test || e.test.fingerprint !== fp) {
    throw new DeskError(
      'sso_enable_untested',
      e.test
        ? `SSO stays off for ${accountName}: the last Test connection ran on settings that have ` +
            `changed since; test these settings again. Nothing was saved.`
        : `SSO stays off for ${accountName}: run Test connection on these settings first. Nothing was saved.`,
      { field: 'enabled', status: 409 },
    );
  }
  if (!e.test.ok) {
    throw new DeskError(
      'sso_enable_untested',
      `SSO stays off for ${accountName}: the last Test connection of these settings failed (${e.test.summary}). Nothing was saved.`,
      {
        field: 'enabled',
        status: 409,
      },
    );
  }
  const signedIn = e.signin !== null && e.signin.fingerprint === fp && now - e.signin.at <= TEST_SIGNIN_WINDOW_MS;
  if (signedIn) return;
  if (e.test.unconfirmed) {
    // The IdP only showed its login page: nothing proves it knows this client; confirming a lockout cannot either.
    throw new DeskError(
      'sso_enable_unconfirmed',
      `SSO stays off for ${accountName}: Test connection could not confirm that the IdP ` +
        `knows this client (it shows its login page to any client). Do a test sign-in through ` +
        `these settings first (valid ${TEST_SIGNIN_WINDOW_MS / 60_000} minutes). Nothing was saved.`,
      { field: 'enabled', status: 409 },
    );
  }
  const keepOwners = draft.ownerPassword ?? e.ownerPassword.on;
  const n = usersLosingPassword(
    db,
    draft.account,
    keepOwners,
    draft.stage === undefined ? stageOf(db, draft.account).stage : draft.stage,
  );
  if (draft.confirmLockout === n) return;
  const users = `${n} ${n === 1 ? 'user' : 'users'}`;
  throw new DeskError(
    'sso_enable_unconfirmed',
    draft.confirmLockout === undefined
      ? `Switching SSO on for ${accountName} takes password login away from ${users}. Do a ` +
          `test sign-in through this IdP first (valid ${TEST_SIGNIN_WINDOW_MS / 60_000} minutes), ` +
          `or confirm that ${users} lose password login. Nothing was saved.`
      : `The confirmation named ${draft.confirmLockout} users, but switching SSO on for ${accountName} ` +
          `takes password login away from ${users} now; confirm again. Nothing was saved.`,
    { field: 'enabled', status: 409 },
  );
}

/** Switches the owner break-glass of an account, audited as old → new. No-op when unchanged. */
export function applyOwnerPassword(
  db: Db,
  account: { id: string; name: string },
  on: boolean,
  actor: string,
  now: number,
): void {
  const before = getEnforcement(db, account.id).ownerPassword.on;
  if (before === on) return;
  db.transaction(() => {
    setOwnerPassword(db, account.id, on, actor, now);
    appendAudit(db, {
      at: now,
      kind: 'sso.oidc.owner_password',
      accountId: account.id,
      actor,
      method: 'sso',
      outcome: 'ok',
      reason: on
        ? `owner break-glass switched on: owners of ${account.name} may use their password while SSO is enforced`
        : `owner break-glass switched off: SSO applies to the owners of ${account.name} too`,
      detail: { changes: [{ field: 'ownerPassword', old: before, new: on }] },
    });
  })();
}
