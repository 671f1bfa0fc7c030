import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { SAML as NodeSaml } from '@node-saml/node-saml';
import type { Db } from '../../store/db';
import { getAccount, type AccountRow } from '../../store/accounts';
import { getOidc } from '../../store/sso-config';
import { getSaml, putSaml, type SamlRow } from '../../store/sso-saml';
import { appendAudit } from '../../store/audit';
import { DeskError, notFound } from '@shared/errors';
import type { SamlConfigView, SamlDraftInput } from '@shared/contract/saml';
import {
  ACS_PORT_MAX,
  ACS_PORT_MIN,
  DEFAULT_ACS_PORT,
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_METADATA_BYTES,
  NAMEID_FORMAT_VALUES,
  acsUrl,
  spEntityId,
  type SamlPreset,
} from '@shared/saml-config';
import { SAML_PRESET_INFO } from '@shared/saml-presets';
import type { SecretBox } from '../crypto/secret-box';
import { changedFields, diffSettings } from '../audit/settings-diff';
import { enableGate, presetGate } from '../oidc/config';
import { enforcementViewFor } from '../oidc/enforcement';
import { describeCertificate, generateKeyAndCertificate, toPem } from './certificates';
import { authnRequestBinding, parseIdpMetadata } from './idp-metadata';
import type { FetchLike } from '../network/outbound';

export type SamlDraft = z.output<typeof SamlDraftInput>;

/** The IdP and SP settings that decide whether a sign-in works: what Test connection and switch-on compare. */
export interface ResolvedSaml {
  preset: SamlPreset;
  idpEntityId: string;
  idpSsoUrl: string;
  idpCerts: string[];
  idpMetadataXml: string | null;
  acsPort: number;
  nameIdFormat: string;
  userAttribute: string;
  allowIdpInitiated: boolean;
  clockSkewSeconds: number;
  allowSha1: boolean;
}

interface Problem {
  field: string;
  message: string;
}

/**
 * The fingerprint of SAML settings: a passing test counts only for exactly these (and never for OIDC's).
 * The HTTP-POST binding of a POST-only IdP is part of it; HTTP-Redirect adds nothing, so fingerprints
 * saved before POST was supported still match.
 */
export const samlFingerprint = (r: ResolvedSaml, spCert: string | null): string =>
  `saml:${createHash('sha256')
    .update(
      JSON.stringify([
        r.idpEntityId,
        r.idpSsoUrl,
        r.idpCerts,
        r.acsPort,
        r.nameIdFormat,
        r.userAttribute,
        r.allowIdpInitiated,
        r.clockSkewSeconds,
        r.allowSha1,
        spCert,
        ...(authnRequestBinding(r) === 'HTTP-POST' ? ['HTTP-POST'] : []),
      ]),
    )
    .digest('base64url')
    .slice(0, 22)}`;

export const rowSamlFingerprint = (r: SamlRow): string => samlFingerprint(r as ResolvedSaml, r.spCert);

function requireAccount(db: Db, id: string): AccountRow {
  const a = getAccount(db, id);
  if (!a) throw notFound(`no account "${id}"`);
  return a;
}

/** The SAML settings an admin sees, with the SP's names to copy into the IdP. */
export function samlView(db: Db, accountId: string, now: number): SamlConfigView {
  const a = requireAccount(db, accountId);
  const row = getSaml(db, accountId);
  const port = row?.acsPort ?? DEFAULT_ACS_PORT;
  return {
    account: a.id,
    accountName: a.name,
    plan: a.plan,
    configured: row !== undefined,
    enabled: row?.enabled ?? false,
    preset: (row?.preset ?? 'generic') as SamlPreset,
    idp: {
      entityId: row?.idpEntityId ?? '',
      ssoUrl: row?.idpSsoUrl ?? '',
      authnRequestBinding: row ? authnRequestBinding(row) : 'HTTP-Redirect',
      certificates: (row?.idpCerts ?? []).map((pem) => describeCertificate(pem, now)),
    },
    idpMetadataSet: Boolean(row?.idpMetadataXml),
    acsPort: port,
    nameIdFormat: row?.nameIdFormat ?? NAMEID_FORMAT_VALUES[0],
    userAttribute: row?.userAttribute ?? 'nameid',
    allowIdpInitiated: row?.allowIdpInitiated ?? false,
    clockSkewSeconds: row?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    allowSha1: row?.allowSha1 ?? false,
    sp: {
      entityId: spEntityId(a.id),
      acsUrl: acsUrl(port),
      certificate: row?.spCert ?? null,
      keySet: Boolean(row?.spKeyEnc),
    },
    enabledAt: row?.enabledAt ?? null,
    enabledBy: row?.enabledBy ?? null,
    oidcEnabled: getOidc(db, a.id)?.enabled ?? false,
    canEnable: enableGate(a),
    canUsePresets: presetGate(a),
    enforcement: enforcementViewFor(db, a.id, row ? rowSamlFingerprint(row) : null, now),
  };
}

/**
 * Fetches IdP metadata by URL through the configured proxy and CAs, bounded in size.
 * @throws DeskError `invalid_input` (field `idpMetadataUrl`) naming what went wrong.
 */
export async function fetchMetadata(url: string, fetch: FetchLike, timeoutMs: number): Promise<string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DeskError('invalid_input', `idpMetadataUrl: "${url}" is not a URL`, { field: 'idpMetadataUrl' });
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)))
    throw new DeskError('invalid_input', 'idpMetadataUrl: expected an https URL (http only on this computer)', {
      field: 'idpMetadataUrl',
    });
  let res: Response;
  try {
    res = await fetch(u.href, { signal: AbortSignal.timeout(timeoutMs), headers: { Accept: 'application/xml' } });
  } catch (error) {
    throw new DeskError('invalid_input', `idpMetadataUrl: ${u.host} did not answer (${(error as Error).message})`, {
      field: 'idpMetadataUrl',
    });
  }
  if (!res.ok)
    throw new DeskError('invalid_input', `idpMetadataUrl: ${u.href} answered HTTP ${res.status}`, {
      field: 'idpMetadataUrl',
    });
  const text = await res.text();
  if (text.length > MAX_METADATA_BYTES)
    throw new DeskError('invalid_input', `idpMetadataUrl: the metadata is larger than ${MAX_METADATA_BYTES} bytes`, {
      field: 'idpMetadataUrl',
    });
  return text;
}

/**
 * The draft applied over the stored settings, metadata read (a URL fetched), every field checked.
 * Absent fields keep what is stored. Problems are collected, each naming its field.
 */
export async function resolveSamlDraft(
  d: Omit<SamlDraft, 'enabled' | 'actor'>,
  before: SamlRow | undefined,
  fetch: FetchLike,
  now: number,
  timeoutMs = 8000,
): Promise<{ resolved: ResolvedSaml; problems: Problem[] }> {
  const problems: Problem[] = [];
  let idpEntityId = d.idp?.entityId.trim() ?? before?.idpEntityId ?? '';
  let idpSsoUrl = d.idp?.ssoUrl.trim() ?? before?.idpSsoUrl ?? '';
  let idpCerts = before?.idpCerts ?? [];
  let idpMetadataXml = d.idp ? null : (before?.idpMetadataXml ?? null);
  if (d.idp) {
    idpCerts = [];
    d.idp.certificates.forEach((c, i) => {
      if (!c.trim()) return;
      try {
        idpCerts.push(toPem(c));
      } catch (error) {
        problems.push({ field: `idp.certificates.${i}`, message: (error as Error).message });
      }
    });
  }
  let metadataText = d.idpMetadataXml;
  let metadataField = 'idpMetadataXml';
  if (d.idpMetadataUrl?.trim()) {
    metadataField = 'idpMetadataUrl';
    try {
      metadataText = await fetchMetadata(d.idpMetadataUrl.trim(), fetch, timeoutMs);
    } catch (error) {
      problems.push({ field: 'idpMetadataUrl', message: (error as Error).message.replace(/^idpMetadataUrl: /, '') });
    }
  }
  if (metadataText?.trim()) {
    try {
      const m = parseIdpMetadata(metadataText);
      idpEntityId = m.entityId;
      idpSsoUrl = m.ssoUrl;
      idpCerts = m.certificates;
      idpMetadataXml = metadataText;
    } catch (error) {
      problems.push({ field: metadataField, message: (error as Error).message });
    }
  }
  if (!idpEntityId) problems.push({ field: 'idp.entityId', message: 'give the IdP entity ID (Issuer)' });
  try {
    const u = new URL(idpSsoUrl);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(u.hostname)))
      problems.push({ field: 'idp.ssoUrl', message: 'expected an https URL (http only on this computer)' });
  } catch {
    problems.push({ field: 'idp.ssoUrl', message: idpSsoUrl ? `"${idpSsoUrl}" is not a URL` : 'give the IdP SSO URL' });
  }
  if (
    idpCerts.length === 0 &&
    !problems.some((p) => p.field.startsWith('idp.certificates') || p.field === metadataField)
  )
    problems.push({ field: 'idp.certificates', message: 'give at least one IdP signing certificate' });
  idpCerts.forEach((pem, i) => {
    const c = describeCertificate(pem, now);
    if (c.status === 'expired')
      problems.push({ field: `idp.certificates.${i}`, message: `the certificate ${c.subject} ${c.expiry}` });
  });
  const acsPort = d.acsPort ?? before?.acsPort ?? DEFAULT_ACS_PORT;
  if (!Number.isInteger(acsPort) || acsPort < ACS_PORT_MIN || acsPort > ACS_PORT_MAX)
    problems.push({
      field: 'acsPort',
      message: `expected a whole port number from ${ACS_PORT_MIN} to ${ACS_PORT_MAX}`,
    });
  const nameIdFormat = d.nameIdFormat ?? before?.nameIdFormat ?? NAMEID_FORMAT_VALUES[0];
  if (!NAMEID_FORMAT_VALUES.includes(nameIdFormat))
    problems.push({ field: 'nameIdFormat', message: `expected one of ${NAMEID_FORMAT_VALUES.join(', ')}` });
  const userAttribute = (d.userAttribute ?? before?.userAttribute ?? 'nameid').trim() || 'nameid';
  if (!/^[\x21-\x7E]{1,300}$/.test(userAttribute))
    problems.push({ field: 'userAttribute', message: 'expected "nameid" or an attribute name without spaces' });
  const clockSkewSeconds = d.clockSkewSeconds ?? before?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isInteger(clockSkewSeconds) || clockSkewSeconds < 0 || clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS)
    problems.push({ field: 'clockSkewSeconds', message: `expected whole seconds from 0 to ${MAX_CLOCK_SKEW_SECONDS}` });
  return {
    resolved: {
      preset: d.preset,
      idpEntityId,
      idpSsoUrl,
      idpCerts,
      idpMetadataXml,
      acsPort,
      nameIdFormat,
      userAttribute,
      allowIdpInitiated: d.allowIdpInitiated ?? before?.allowIdpInitiated ?? false,
      clockSkewSeconds,
      allowSha1: d.allowSha1 ?? before?.allowSha1 ?? false,
    },
    problems,
  };
}

const refuse = (problems: Problem[]): DeskError => {
  const message =
    problems.length === 1
      ? `${problems[0]!.field}: ${problems[0]!.message}`
      : `${problems.length} fields need attention — ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  return new DeskError('invalid_input', `${message}. Nothing was saved.`, { field: problems[0]!.field });
};

/**
 * Validates and saves an account's SAML settings: every problem names its field and nothing is
 * written if there is one. The SP private key is encrypted with the platform's SecretBox.
 * @throws DeskError `not_found` | `invalid_input` | what `beforeWrite` throws (the switch-on guard).
 */
export async function saveSaml(
  db: Db,
  secrets: SecretBox,
  d: SamlDraft,
  now: number,
  fetch: FetchLike,
  opts: {
    beforeWrite?: (account: AccountRow, before: SamlRow | undefined, fingerprint: string, after: ResolvedSaml) => void;
  } = {},
): Promise<SamlConfigView> {
  const a = requireAccount(db, d.account);
  const before = getSaml(db, a.id);
  const { resolved, problems } = await resolveSamlDraft(d, before, fetch, now);
  if (d.preset !== 'generic' && !presetGate(a).allowed)
    problems.unshift({ field: 'preset', message: presetGate(a).reason });
  if (d.enabled && !enableGate(a).allowed) problems.unshift({ field: 'enabled', message: enableGate(a).reason });
  if (d.enabled && getOidc(db, a.id)?.enabled)
    problems.unshift({
      field: 'enabled',
      message: `OIDC SSO is on for ${a.name}: an account uses OIDC or SAML, not both — switch OIDC off first`,
    });
  if (d.newSpKey && d.clearSpKey)
    problems.push({ field: 'newSpKey', message: 'generate a new SP key or remove it, not both' });
  if (problems.length) throw refuse(problems);
  let spKeyEnc = before?.spKeyEnc ?? null;
  let spCert = before?.spCert ?? null;
  if (d.clearSpKey) {
    spKeyEnc = null;
    spCert = null;
  } else if (d.newSpKey) {
    const k = generateKeyAndCertificate(`SSO Desk SP ${a.id}`, { now });
    spKeyEnc = secrets.encrypt(k.privatePem);
    spCert = toPem(k.certPem);
  }
  opts.beforeWrite?.(a, before, samlFingerprint(resolved, spCert), resolved);
  const turningOn = d.enabled && !before?.enabled;
  const row: SamlRow = {
    accountId: a.id,
    enabled: d.enabled,
    ...resolved,
    spKeyEnc,
    spCert,
    enabledAt: d.enabled ? (turningOn ? now : (before?.enabledAt ?? now)) : null,
    enabledBy: d.enabled ? (turningOn ? d.actor : (before?.enabledBy ?? d.actor)) : null,
    updatedAt: now,
  };
  const shape = (r: SamlRow) => ({
    enabled: r.enabled,
    preset: r.preset,
    idpEntityId: r.idpEntityId,
    idpSsoUrl: r.idpSsoUrl,
    idpCertificates: r.idpCerts.length,
    acsPort: r.acsPort,
    nameIdFormat: r.nameIdFormat,
    userAttribute: r.userAttribute,
    allowIdpInitiated: r.allowIdpInitiated,
    clockSkewSeconds: r.clockSkewSeconds,
    allowSha1: r.allowSha1,
    spKey: r.spKeyEnc,
  });
  const changes = diffSettings('saml', before ? shape(before) : null, shape(row), {
    plain: [
      'enabled',
      'preset',
      'idpEntityId',
      'idpSsoUrl',
      'idpCertificates',
      'acsPort',
      'nameIdFormat',
      'userAttribute',
      'allowIdpInitiated',
      'clockSkewSeconds',
      'allowSha1',
    ],
    secret: ['spKey'],
  });
  const what = turningOn
    ? 'SAML SSO switched on'
    : before?.enabled && !d.enabled
      ? 'SAML SSO switched off — password login restored'
      : 'SAML settings saved';
  db.transaction(() => {
    putSaml(db, row);
    appendAudit(db, {
      at: now,
      kind: 'sso.saml.save',
      accountId: a.id,
      actor: d.actor,
      method: 'sso',
      outcome: 'ok',
      reason: `${what}${changes.length ? ` (${changedFields(changes)})` : ''}`,
      detail: { changes, idpEntityId: row.idpEntityId, enabled: row.enabled },
    });
  })();
  return samlView(db, a.id, now);
}

/** The SP metadata (SAML 2.0 Metadata §2.4.4) an admin gives the IdP, by node-saml. */
export function spMetadataXml(db: Db, secrets: SecretBox, accountId: string): { xml: string; fileName: string } {
  const a = requireAccount(db, accountId);
  const row = getSaml(db, accountId);
  const port = row?.acsPort ?? DEFAULT_ACS_PORT;
  const saml = new NodeSaml({
    // Metadata does not involve the IdP; node-saml only insists that the option is set.
    idpCert: row?.idpCerts[0] ?? 'unset',
    issuer: spEntityId(a.id),
    callbackUrl: acsUrl(port),
    identifierFormat: row?.nameIdFormat ?? NAMEID_FORMAT_VALUES[0],
    wantAssertionsSigned: true,
    // node-saml lists the encryption certificate only when it holds the key: decrypted here, never returned.
    ...(row?.spKeyEnc && row.spCert ? { decryptionPvk: secrets.decrypt(row.spKeyEnc) } : {}),
  });
  const xml = saml.generateServiceProviderMetadata(row?.spCert ?? null);
  return { xml, fileName: `sso-desk-${a.id}-sp-metadata.xml` };
}

/** The preset's default user attribute, for a form that switches preset. */
export const presetUserAttribute = (p: SamlPreset): string => SAML_PRESET_INFO[p].userAttribute;
