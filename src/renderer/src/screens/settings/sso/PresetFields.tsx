import type { UseFormReturn } from 'react-hook-form';
import type { OidcConfigView } from '@shared/contract/oidc';
import type { Preset } from '@shared/domain';
import { PRESET_DEFINITIONS, findPreset, redirectPortAfterPresetSwitch } from '@shared/oidc-presets';
import { FieldNote } from './FieldNote';
import type { SsoFieldsProps, SsoFormValues } from './oidc-draft';

export const presetOf = (d: SsoFormValues): Preset => (d.preset ?? 'generic') as Preset;

/** Moves the draft to another identity provider's preset. */
export function switchPreset(
  form: UseFormReturn<SsoFormValues>,
  view: OidcConfigView,
  d: SsoFormValues,
  next: Preset,
): void {
  const preset = presetOf(d);
  // Rebuild or clear what the old preset built: its values go, and back on "any IdP" the built issuer goes too.
  form.setValue('presetParams', {}, { shouldDirty: true, shouldValidate: true });
  if (next === 'generic' && preset !== 'generic') form.setValue('issuer', '', { shouldDirty: true });
  // Okta matches the redirect port exactly: its preset proposes a fixed port, and takes it back after.
  const port = d.redirectPort === undefined ? view.redirectPort : d.redirectPort;
  const nextPort = redirectPortAfterPresetSwitch(preset, next, port);
  if (nextPort !== port) form.setValue('redirectPort', nextPort, { shouldDirty: true, shouldValidate: true });
  form.setValue('preset', next, { shouldDirty: true, shouldValidate: true });
}

/** The identity provider (any, or a vendor's preset), and the values that preset builds the issuer from. */
export function PresetFields({ view, form, d, problemOf }: SsoFieldsProps) {
  const preset = presetOf(d);
  const presetDef = findPreset(preset);
  return (
    <>
      <label htmlFor="sso-preset">Identity provider</label>
      <select id="sso-preset" value={preset} onChange={(e) => switchPreset(form, view, d, e.target.value as Preset)}>
        <option value="generic">Any OpenID Connect IdP</option>
        {PRESET_DEFINITIONS.map((p) => (
          <option key={p.id} value={p.id} disabled={!view.canUsePresets.allowed}>
            {p.vendor}
          </option>
        ))}
      </select>
      {!view.canUsePresets.allowed && (
        <p className="muted" role="note">
          {view.canUsePresets.reason}
        </p>
      )}

      {presetDef?.params.map((p) => (
        <div key={`${preset}-${p.key}`}>
          <label htmlFor={`sso-param-${p.key}`}>{p.label}</label>
          {p.choices ? (
            <select id={`sso-param-${p.key}`} {...form.register(`presetParams.${p.key}`)} defaultValue="">
              <option value="">Choose…</option>
              {p.choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`sso-param-${p.key}`}
              placeholder={p.placeholder}
              aria-invalid={problemOf(`presetParams.${p.key}`) ? true : undefined}
              {...form.register(`presetParams.${p.key}`)}
            />
          )}
          <FieldNote label={p.label} hint={p.hint} problem={problemOf(`presetParams.${p.key}`)} />
        </div>
      ))}
    </>
  );
}
