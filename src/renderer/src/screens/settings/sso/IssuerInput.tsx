import { DEMO_CLIENT_ID } from '@shared/domain';
import { findPreset } from '@shared/oidc-presets';
import { effectiveIssuer } from '@shared/oidc-fingerprint';
import { useDesk } from '@renderer/store';
import { FieldNote } from './FieldNote';
import { presetOf, switchPreset } from './PresetFields';
import type { SsoFieldsProps } from './oidc-draft';

/** The issuer: typed for any IdP, built (read-only) by a preset; plus a one-step way back to the demo IdP. */
export function IssuerInput({ view, form, d, problemOf }: SsoFieldsProps) {
  const demoIssuer = useDesk((s) => s.info?.urls.idp ?? null);
  const preset = presetOf(d);
  const presetDef = findPreset(preset);
  const builtIssuer = preset === 'generic' ? null : effectiveIssuer(d);
  /** Back to the embedded IdP in one step: any IdP, its issuer and demo client, any port, no secret. */
  const useDemoIdp = () => {
    if (!demoIssuer) return;
    if (preset !== 'generic') switchPreset(form, view, d, 'generic');
    form.setValue('issuer', demoIssuer, { shouldDirty: true, shouldValidate: true });
    form.setValue('clientId', DEMO_CLIENT_ID, { shouldDirty: true, shouldValidate: true });
    form.setValue('redirectPort', null, { shouldDirty: true, shouldValidate: true });
  };
  return (
    <>
      <label htmlFor="sso-issuer">IdP URL (issuer)</label>
      {preset === 'generic' ? (
        <input
          id="sso-issuer"
          size={60}
          placeholder="https://idp.example.com"
          aria-invalid={problemOf('issuer') ? true : undefined}
          {...form.register('issuer')}
        />
      ) : (
        <input
          id="sso-issuer"
          size={60}
          readOnly
          value={builtIssuer ?? ''}
          placeholder={`Built once the ${presetDef?.vendor ?? 'preset'} values above are filled in`}
        />
      )}
      <FieldNote
        label="IdP URL (issuer)"
        hint={
          preset === 'generic'
            ? 'The issuer: its discovery document is at /.well-known/openid-configuration'
            : builtIssuer
              ? 'Built from the values above'
              : 'Nothing built yet: fill in the values above'
        }
        problem={problemOf('issuer')}
      />
      {demoIssuer && d.issuer !== demoIssuer && (
        <p>
          <button type="button" onClick={useDemoIdp}>
            Use the demo IdP
          </button>{' '}
          <span className="muted">
            SSO Desk’s built-in identity provider at <code>{demoIssuer}</code> (client ID <code>{DEMO_CLIENT_ID}</code>
            ), for a demo with no network.
          </span>
        </p>
      )}
    </>
  );
}
