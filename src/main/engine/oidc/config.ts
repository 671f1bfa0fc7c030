import { describeChanges, diffSettings } from '../audit/settings-diff';
import type { z } from 'zod';
import type { Db } from '../../store/db';
import { getAccount, type AccountRow } from '../../store/accounts';
import { getOidc, putOidc, type OidcRow } from '../../store/sso-config';
import { getSaml } from '../../store/sso-saml';
import { appendAudit } from '../../store/audit';
import { fieldsNeedAttention, notFound } from '@shared/errors';
import type { OidcConfigView, OidcDraftInput } from '@shared/contract/oidc';
import { claimScopeWarning, validateOidcDraft, type FieldProblem } from '@shared/oidc-config';
import { registeredRedirectUri } from '@shared/oidc-presets';
import type { Preset } from '@shared/domain';
import type { SecretBox } from '../crypto/secret-box';
import type { ClientAuthMethod, EffectiveClientAuth } from '@shared/domain';
import { generateClientKey, parseClientKey, type ClientKeyPair } from './client-key';
import { credentialRef, effectiveIssuer } from '@shared/oidc-fingerprint';
import { enforcementView } from './enforcement';
import { lastWorkingView } from './live-edit';

export type OidcDraft = z.output<typeof OidcDraftInput>;

const PLAN_NAMES = { free: 'Free', pro: 'Pro', enterprise: 'Enterprise' } as const;

/** OIDC SSO needs the Enterprise plan (DESIGN.md "Plan gating"). */
export function enableGate(a: AccountRow): { allowed: boolean; reason: string } {
  return a.plan === 'enterprise'
    ? { allowed: true, reason: `${a.name} is on the Enterprise plan` }
    : { allowed: false, reason: `SSO needs the Enterprise plan; ${a.name} is on the ${PLAN_NAMES[a.plan]} plan` };
}

/** The Okta / Entra ID / PingOne presets need the Enterprise toolkit package. */
export function presetGate(a: AccountRow): { allowed: boolean; reason: string } {
  return a.packages.includes('enterprise-toolkit')
    ? { allowed: true, reason: `${a.name} has the Enterprise toolkit` }
    : {
        allowed: false,
        reason: `the Okta, Entra ID and PingOne presets need the Enterprise toolkit package, which ${a.name} does not have`,
      };
}

function requireAccount(db: Db, id: string): AccountRow {
  const a = getAccount(db, id);
  if (!a) throw notFound(`no account "${id}"`);
  return a;
}

/**
 * The method the settings alone imply (sign-in refines `auto` with the IdP's discovery document):
 * Basic with a secret (OpenID Connect Core 1.0 §9: the default), private_key_jwt with only a key,
 * none for a public client.
 */
export function staticClientAuth(row: Pick<OidcRow, 'clientAuth' | 'clientSecretEnc' | 'clientKeyEnc'> | undefined): {
  method: EffectiveClientAuth;
  note: string;
} {
  const configured: ClientAuthMethod = row?.clientAuth ?? 'auto';
  if (configured !== 'auto') return { method: configured, note: `${configured}, as chosen` };
  if (row?.clientSecretEnc) {
    return {
      method: 'client_secret_basic',
      note: 'auto: client_secret_basic, unless the IdP’s discovery document lists only client_secret_post',
    };
  }
  if (row?.clientKeyEnc)
    return { method: 'private_key_jwt', note: 'auto: private_key_jwt (a key pair is set, no secret)' };
  return { method: 'none', note: 'auto: none — a public client without a secret (PKCE protects the exchange)' };
}

export function configView(db: Db, accountId: string, now: number = Date.now()): OidcConfigView {
  const a = requireAccount(db, accountId);
  const row = getOidc(db, accountId);
  const redirectHost = row?.redirectHost ?? '127.0.0.1';
  const redirectPort = row?.redirectPort ?? null;
  const auth = staticClientAuth(row);
  return {
    account: a.id,
    accountName: a.name,
    plan: a.plan,
    configured: row !== undefined,
    enabled: row?.enabled ?? false,
    preset: (row?.preset ?? 'generic') as Preset,
    presetParams: row?.presetParams ?? {},
    issuer: row?.issuer ?? '',
    clientId: row?.clientId ?? '',
    clientSecretSet: Boolean(row?.clientSecretEnc),
    clientSecretRef: credentialRef(row?.clientSecretEnc ?? null),
    clientKeyRef: credentialRef(row?.clientJwks ?? null),
    scopes: row?.scopes ?? ['openid', 'email', 'profile'],
    redirectHost,
    redirectPort,
    redirectUri: registeredRedirectUri(redirectHost, redirectPort),
    clientAuth: row?.clientAuth ?? 'auto',
    clientAuthEffective: auth.method,
    clientAuthNote: auth.note,
    userClaim: row?.userClaim ?? 'email',
    clientKeySet: Boolean(row?.clientKeyEnc),
    clientJwks: row?.clientJwks ? (JSON.parse(row.clientJwks) as { keys: Array<Record<string, unknown>> }) : null,
    enabledAt: row?.enabledAt ?? null,
    enabledBy: row?.enabledBy ?? null,
    canEnable: enableGate(a),
    canUsePresets: presetGate(a),
    enforcement: enforcementView(db, a.id, row, now),
    scopeWarning: row ? claimScopeWarning(row.userClaim, row.scopes) : null,
    lastWorking: row?.enabled ? lastWorkingView(db, a.id) : null,
  };
}

/** The issuer a draft stands for: built from the preset's values, or the IdP URL as typed. */
export function draftIssuer(d: Pick<OidcDraft, 'preset' | 'presetParams' | 'issuer'>): string {
  // A preset whose values are incomplete stands for no issuer (never the one typed before the preset).
  return effectiveIssuer(d);
}

/**
 * Validates and saves an account's OIDC settings. Every problem names its field; if there is one,
 * nothing is saved. The client secret is write-only: given → encrypted with the platform's SecretBox;
 * `clearClientSecret` → removed (a public client: PKCE only); absent → kept.
 * Switching SSO on records when and by whom (shown in every enforcement message).
 * @throws DeskError `not_found` for an unknown account; `invalid_input` (field = the first bad field,
 *   message = all of them).
 */
export function saveConfig(
  db: Db,
  secrets: SecretBox,
  d: OidcDraft,
  now: number,
  opts: { beforeWrite?: (account: AccountRow, before: OidcRow | undefined) => void } = {},
): OidcConfigView {
  const { a, before, row, changes, turningOn, scopes } = draftRow(db, secrets, d, now, opts);
  const clientSecretEnc = row.clientSecretEnc;
  const what = turningOn
    ? 'SSO switched on'
    : before?.enabled && !d.enabled
      ? 'SSO switched off — password login restored'
      : 'settings saved';
  db.transaction(() => {
    putOidc(db, row);
    appendAudit(db, {
      at: now,
      kind: 'sso.oidc.save',
      accountId: a.id,
      actor: d.actor,
      method: 'sso',
      outcome: 'ok',
      reason: `${what}${changes.length ? `: ${describeChanges(changes)}` : ''}`,
      // Redacted by construction: the secret appears only as whether it is set.
      detail: {
        changes,
        issuer: row.issuer,
        clientId: row.clientId,
        preset: row.preset,
        scopes,
        clientSecretSet: clientSecretEnc !== null,
        enabled: row.enabled,
      },
    });
  })();
  return configView(db, a.id, now);
}

/**
 * The row a draft stands for once applied over what is stored, validated as Save validates it, not
 * written: what Save writes, and what a test sign-in through unsaved settings signs in with.
 * @throws DeskError as `saveConfig`.
 *
 * Long because it applies every field of the draft over the stored row in one place, so Save and a test sign-in
 * through unsaved settings cannot apply them differently.
 */
export function draftRow(
  db: Db,
  secrets: SecretBox,
  d: OidcDraft,
  now: number,
  opts: { beforeWrite?: (account: AccountRow, before: OidcRow | undefined) => void } = {},
) {
  const a = requireAccount(db, d.account);
  const scopes = d.scopes.map((s) => s.trim()).filter(Boolean);
  const before = getOidc(db, a.id);
  // Absent = keep what is stored: a form that does not know a field does not reset it.
  const redirectPort = d.redirectPort !== undefined ? d.redirectPort : (before?.redirectPort ?? null);
  const storedAuth = before?.clientAuth ?? 'auto';
  // Removing the secret without naming a method makes a kept secret method moot: back to auto (none).
  const clientAuth: ClientAuthMethod =
    d.clientAuth ??
    (d.clearClientSecret && (storedAuth === 'client_secret_basic' || storedAuth === 'client_secret_post')
      ? 'auto'
      : storedAuth);
  const userClaim = d.userClaim !== undefined ? d.userClaim.trim() || 'email' : (before?.userClaim ?? 'email');
  const problems: FieldProblem[] = validateOidcDraft({ ...d, scopes, redirectPort, userClaim });
  let newKey: ClientKeyPair | null = null;
  if (d.clientPrivateKey !== undefined && d.clientPrivateKey.trim() !== '') {
    try {
      newKey = parseClientKey(d.clientPrivateKey, 'clientPrivateKey');
    } catch (error) {
      problems.push({
        field: 'clientPrivateKey',
        message: (error as Error).message.replace(/^clientPrivateKey: /, '').replace(/ Nothing was saved\.$/, ''),
      });
    }
    if (d.newClientKey)
      problems.push({ field: 'clientPrivateKey', message: 'import a key or generate a new one, not both' });
  }
  const secretAfter = d.clearClientSecret ? null : d.clientSecret ? 'new' : (before?.clientSecretEnc ?? null);
  if ((clientAuth === 'client_secret_basic' || clientAuth === 'client_secret_post') && secretAfter === null) {
    problems.push({
      field: 'clientSecret',
      message: `${clientAuth} sends a client secret, and none is set: give the secret, or choose "none" for a public client`,
    });
  }
  if (d.preset !== 'generic' && !presetGate(a).allowed)
    problems.unshift({ field: 'preset', message: presetGate(a).reason });
  if (d.enabled && !enableGate(a).allowed) problems.unshift({ field: 'enabled', message: enableGate(a).reason });
  if (d.enabled && getSaml(db, a.id)?.enabled)
    problems.unshift({
      field: 'enabled',
      message: `SAML SSO is on for ${a.name}: an account uses OIDC or SAML, not both — switch SAML off first`,
    });
  if (d.clientSecret !== undefined && d.clearClientSecret)
    problems.push({ field: 'clientSecret', message: 'give a new secret or clear it, not both' });
  if (problems.length) throw fieldsNeedAttention(problems);
  opts.beforeWrite?.(a, before);
  let clientSecretEnc = before?.clientSecretEnc ?? null;
  if (d.clearClientSecret) clientSecretEnc = null;
  else if (d.clientSecret !== undefined && d.clientSecret !== '') clientSecretEnc = secrets.encrypt(d.clientSecret);
  if (!newKey && (d.newClientKey || (clientAuth === 'private_key_jwt' && !before?.clientKeyEnc)))
    newKey = generateClientKey();
  const clientKeyEnc = newKey ? secrets.encrypt(newKey.privatePem) : (before?.clientKeyEnc ?? null);
  const clientJwks = newKey ? JSON.stringify(newKey.jwks) : (before?.clientJwks ?? null);
  const turningOn = d.enabled && !before?.enabled;
  const row: OidcRow = {
    accountId: a.id,
    enabled: d.enabled,
    preset: d.preset,
    presetParams:
      d.preset === 'generic' ? {} : Object.fromEntries(Object.entries(d.presetParams).map(([k, v]) => [k, v.trim()])),
    issuer: draftIssuer(d),
    clientId: d.clientId.trim(),
    clientSecretEnc,
    scopes,
    redirectHost: d.redirectHost,
    enabledAt: d.enabled ? (turningOn ? now : (before?.enabledAt ?? now)) : null,
    enabledBy: d.enabled ? (turningOn ? d.actor : (before?.enabledBy ?? d.actor)) : null,
    updatedAt: now,
    redirectPort,
    clientAuth,
    userClaim,
    clientKeyEnc,
    clientJwks,
  };
  const shape = (r: OidcRow) => ({
    enabled: r.enabled,
    preset: r.preset,
    presetParams: r.presetParams,
    issuer: r.issuer,
    clientId: r.clientId,
    scopes: r.scopes,
    redirectHost: r.redirectHost,
    clientSecret: r.clientSecretEnc,
    redirectPort: r.redirectPort,
    clientAuth: r.clientAuth,
    userClaim: r.userClaim,
    clientKey: r.clientKeyEnc,
  });
  const changes = diffSettings('oidc', before ? shape(before) : null, shape(row), {
    plain: [
      'enabled',
      'preset',
      'presetParams',
      'issuer',
      'clientId',
      'scopes',
      'redirectHost',
      'redirectPort',
      'clientAuth',
      'userClaim',
    ],
    secret: ['clientSecret', 'clientKey'],
  });
  return { a, before, row, changes, turningOn, scopes };
}
