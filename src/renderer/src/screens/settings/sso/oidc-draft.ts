import type { z } from 'zod';
import type { FieldErrors, Resolver, UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { OidcDraftInput, type OidcConfigView, type SigninDraftInput } from '@shared/contract/oidc';
import { validateOidcDraft } from '@shared/oidc-config';
import { effectiveIssuer, oidcFingerprint, type StoredOidc } from '@shared/oidc-fingerprint';

/**
 * The form's state: a plain object of the contract's input type (`sso.oidc.save`), so a field added
 * to the contract slots in here (give it a value in `toForm` and a control that reads `form`).
 */
export type SsoFormValues = Omit<z.output<typeof OidcDraftInput>, 'clientSecret'> & { clientSecret: string };

/** What each section of the form is handed: the saved view, the form, its current values and their problems. */
export interface SsoFieldsProps {
  view: OidcConfigView;
  form: UseFormReturn<SsoFormValues>;
  d: SsoFormValues;
  problemOf: (field: string) => string | undefined;
}

/** The words a person reads for each field, also in messages that come back from the engine. */
const FIELD_LABELS: Record<string, string> = {
  enabled: 'SSO',
  preset: 'Identity provider',
  issuer: 'IdP URL (issuer)',
  clientId: 'Client ID',
  clientSecret: 'Client Secret',
  scopes: 'Scopes',
  redirectHost: 'Redirect URL',
};
const labelOf = (field: string): string => FIELD_LABELS[field] ?? field.replace(/^presetParams\./, '');
/** "clientId: required" → "Client ID: required" (engine messages name fields by their input path). */
export const withLabels = (message: string): string =>
  message.replace(
    /\b(enabled|preset|issuer|clientId|clientSecret|scopes|redirectHost|presetParams\.[A-Za-z]+):/g,
    (_m, f: string) => `${labelOf(f)}:`,
  );

/** The contract's schema plus the shared checks (issuer URL, scopes, preset values), each on its field. */
export const resolver = zodResolver(
  OidcDraftInput.superRefine((d, ctx) => {
    for (const p of validateOidcDraft({ ...d, issuer: effectiveIssuer(d) || d.issuer })) {
      ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
    }
  }),
) as unknown as Resolver<SsoFormValues>;

export function toForm(v: OidcConfigView): SsoFormValues {
  return {
    account: v.account,
    enabled: v.enabled,
    preset: v.preset,
    presetParams: v.presetParams,
    issuer: v.issuer,
    clientId: v.clientId,
    clientSecret: '',
    clearClientSecret: false,
    scopes: v.scopes,
    redirectHost: v.redirectHost,
    redirectPort: v.redirectPort,
    clientAuth: v.clientAuth,
    userClaim: v.userClaim,
    actor: 'console admin',
    ownerPassword: v.enforcement.ownerPassword.on,
    stage: v.enforcement.stage,
  };
}

/** What the engine is sent: the issuer a preset builds; the secret only when one was typed. */
export function toInput(d: SsoFormValues): z.input<typeof OidcDraftInput> {
  const { clientSecret, ...rest } = d;
  return { ...rest, issuer: effectiveIssuer(d), ...(clientSecret ? { clientSecret } : {}) };
}

/** The saved settings as the shared fingerprint takes them (the engine builds the same from its row). */
const storedOf = (v: OidcConfigView): StoredOidc | undefined =>
  v.configured
    ? {
        preset: v.preset,
        presetParams: v.presetParams,
        issuer: v.issuer,
        clientId: v.clientId,
        scopes: v.scopes,
        redirectHost: v.redirectHost,
        redirectPort: v.redirectPort,
        clientAuth: v.clientAuth,
        userClaim: v.userClaim,
        secretRef: v.clientSecretRef,
        keyRef: v.clientKeyRef,
      }
    : undefined;
/** The fingerprint of the draft as the engine will see it (what Test connection records, what Save checks). */
export const fingerprintOf = (d: SsoFormValues, v: OidcConfigView): string => oidcFingerprint(toInput(d), storedOf(v));

/** What a test sign-in through unsaved settings sends: the draft as Save would, without the switches. */
export function testSigninDraft(d: SsoFormValues): SigninDraftInput {
  const {
    account: _a,
    enabled: _e,
    actor: _c,
    confirmLockout: _l,
    ownerPassword: _o,
    stage: _s,
    ...rest
  } = toInput(d) as SsoFormValues;
  return rest;
}

/** The message react-hook-form holds for a dotted field path ("presetParams.domain"), if any. */
export function problemIn(errors: FieldErrors<SsoFormValues>, field: string): string | undefined {
  let node: unknown = errors;
  for (const p of field.split('.')) node = (node as Record<string, unknown> | undefined)?.[p];
  return (node as { message?: string } | undefined)?.message;
}
