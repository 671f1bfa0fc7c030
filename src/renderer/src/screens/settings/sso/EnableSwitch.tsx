import type { EnforcementView, OidcConfigView } from '@shared/contract/oidc';
import { shortTime } from '@renderer/components/When';
import type { SsoFieldsProps } from './oidc-draft';

/** What is saved, and the SSO switch of the draft (the plan may forbid switching it on). */
export function EnableSwitch({ view, form, d }: Omit<SsoFieldsProps, 'problemOf'>) {
  return (
    <>
      <p className="muted" aria-label="Saved state">
        Saved: SSO is <strong>{view.enabled ? 'on' : 'off'}</strong> for {view.accountName}
        {view.enabled && view.enabledAt ? ` — enforced since ${shortTime(view.enabledAt)} by ${view.enabledBy}` : ''}.
      </p>
      <label className="check">
        {/* Not registered: react-hook-form leaves a disabled input out of the values, and the plan may disable this one. */}
        <input
          type="checkbox"
          role="switch"
          aria-label="SSO"
          checked={Boolean(d.enabled)}
          disabled={!view.canEnable.allowed && !d.enabled}
          onChange={(e) => form.setValue('enabled', e.target.checked, { shouldDirty: true })}
        />
        SSO {d.enabled ? 'on' : 'off'}
        {Boolean(d.enabled) !== view.enabled && <span className="warn"> — not saved yet</span>}
      </label>
      {!view.canEnable.allowed && (
        <p className="warn" role="note">
          {view.canEnable.reason}
        </p>
      )}
    </>
  );
}

/** While the draft switches SSO on: whom it takes password login from, and what has proven the settings work. */
export function SwitchOnGates({
  view,
  enforcement,
  fingerprint,
  losing,
}: {
  view: OidcConfigView;
  enforcement: EnforcementView;
  fingerprint: string;
  losing: number;
}) {
  const testPassed = enforcement.lastTest?.fingerprint === fingerprint && enforcement.lastTest.ok;
  const clientUnconfirmed = testPassed && Boolean(enforcement.lastTest?.unconfirmed);
  const signedIn = enforcement.lastSignin?.fingerprint === fingerprint && enforcement.lastSignin.withinWindow;
  const minutes = enforcement.signinWindowMinutes;
  return (
    <section aria-label="Before SSO is switched on" className="card">
      <h2>Before SSO is switched on</h2>
      <p>
        Switching SSO on takes password login away from {losing} {losing === 1 ? 'user' : 'users'} of {view.accountName}
        .
      </p>
      <ul className="gates">
        <li className={testPassed ? (clientUnconfirmed ? 'warn' : 'good') : 'bad'}>
          {testPassed
            ? clientUnconfirmed
              ? '⚠ Test connection passed for these settings, but the client is not confirmed — a Test sign-in will tell'
              : '✓ Test connection passed for these settings'
            : '✗ Test connection has not passed for these settings yet'}
        </li>
        <li className={signedIn ? 'good' : clientUnconfirmed ? 'bad' : 'warn'}>
          {signedIn
            ? `✓ Test sign-in by ${enforcement.lastSignin!.email} in the last ${minutes} minutes`
            : clientUnconfirmed
              ? `✗ No test sign-in in the last ${minutes} minutes: needed, ` +
                `since Test connection could not confirm the client`
              : `⚠ No test sign-in in the last ${minutes} minutes: Save will ` +
                `ask you to confirm who loses password login`}
        </li>
      </ul>
    </section>
  );
}
