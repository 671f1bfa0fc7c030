import type { EnforcementView, OidcConfigView, SsoStage } from '@shared/contract/oidc';
import { effectiveIssuer } from '@shared/oidc-fingerprint';
import { describeStage } from '@shared/sso-stage';
import type { useConfirm } from '@renderer/components/ui/ConfirmDialog';
import { StageLists, fetchStagePreview } from './Stage';
import { fingerprintOf, type SsoFormValues } from './oidc-draft';

type Confirm = ReturnType<typeof useConfirm>;
/** Go on with Save (with the lockout count the person confirmed, if one was asked), or stop. */
type Answer = { confirmLockout?: number } | null;

/**
 * Before a Save that takes password login away from people, ask whom it moves; null when the answer is no.
 * The engine checks the confirmed count against the same preview.
 */
export async function askBeforeSave(
  confirm: Confirm,
  view: OidcConfigView,
  enforcement: EnforcementView,
  values: SsoFormValues,
): Promise<Answer> {
  const fp = fingerprintOf(values, view);
  const signedIn = enforcement.lastSignin?.fingerprint === fp && enforcement.lastSignin.withinWindow;
  const tested = enforcement.lastTest?.fingerprint === fp && enforcement.lastTest.ok;
  const keepOwners = values.ownerPassword ?? enforcement.ownerPassword.on;
  const stage = values.stage === undefined ? enforcement.stage : values.stage;
  const turningOn = values.enabled && !view.enabled;
  // A test that could not confirm the client needs a test sign-in: no confirmation can stand in for it.
  if (turningOn && tested && !signedIn && !enforcement.lastTest?.unconfirmed)
    return askSwitchOn(confirm, view, enforcement, values, keepOwners);
  // SSO is on and the stage changes: members move to SSO (or get their password back) at Save.
  if (view.enabled && values.enabled && JSON.stringify(stage) !== JSON.stringify(enforcement.stage))
    return askStageChange(confirm, view, stage, keepOwners);
  return {};
}

async function askSwitchOn(
  confirm: Confirm,
  view: OidcConfigView,
  enforcement: EnforcementView,
  values: SsoFormValues,
  keepOwners: boolean,
): Promise<Answer> {
  const stage = values.stage === undefined ? enforcement.stage : values.stage;
  const who = await fetchStagePreview(view.account, stage, keepOwners);
  const count = who?.moving.length ?? enforcement.activeMembers - (keepOwners ? enforcement.activeOwners : 0);
  const users = `${count} ${count === 1 ? 'user' : 'users'}`;
  const yes = await confirm({
    title: `Switch SSO on for ${view.accountName}?`,
    description: (
      <>
        <p>
          <strong>{users}</strong> of {view.accountName} lose password login and must use “Sign in with SSO” through{' '}
          {effectiveIssuer(values)}
          {stage ? ` (SSO is required for ${describeStage(stage)} first)` : ''}.
        </p>
        <p>
          No test sign-in through this IdP in the last {enforcement.signinWindowMinutes} minutes proves that they can.
        </p>
        {keepOwners && <p>Owners keep their password (owner break-glass is on).</p>}
        {who && <StageLists preview={who} />}
      </>
    ),
    confirmLabel: `Switch SSO on: ${users} lose password login`,
    destructive: true,
  });
  return yes ? { confirmLockout: count } : null;
}

async function askStageChange(
  confirm: Confirm,
  view: OidcConfigView,
  stage: SsoStage | null,
  keepOwners: boolean,
): Promise<Answer> {
  const who = await fetchStagePreview(view.account, stage, keepOwners);
  const yes = await confirm({
    title: `Require SSO for ${describeStage(stage)} of ${view.accountName}?`,
    description: (
      <>
        <p>
          From Save on, password login is refused for {describeStage(stage)}
          {stage ? '; the others keep their password for now' : ''}.
        </p>
        {who && <StageLists preview={who} />}
      </>
    ),
    confirmLabel: `Require SSO: ${who?.moving.length ?? '?'} on SSO`,
    destructive: true,
  });
  return yes ? {} : null;
}

/** The answer to a Save, as the save bar and the toast say it. */
export function savedSentence(v: OidcConfigView): string {
  const owners = v.enforcement.ownerPassword.on ? ' (owners excepted)' : '';
  const staged = v.enforcement.stage;
  const text = !v.enabled
    ? `Saved. SSO is off for ${v.accountName}: password login works.`
    : staged
      ? `Saved. SSO is on for ${v.accountName}: password login is refused for ${describeStage(staged)}` +
        `${owners} (${v.enforcement.usersLosingPassword} now); the others keep their password for now.`
      : `Saved. SSO is on for ${v.accountName}: password login is refused for its users${owners}.`;
  return v.scopeWarning ? `${text} Warning — Scopes: ${v.scopeWarning}.` : text;
}
