import { z } from 'zod';
import { channel } from './channel';
import { PLANS } from '../domain';
import { EnforcementView, TestReport } from './oidc';
import {
  ACS_PORT_MAX,
  ACS_PORT_MIN,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_METADATA_BYTES,
  MAX_SAML_RESPONSE_BYTES,
  SAML_PRESETS,
} from '../saml-config';

const accountId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an account id');
const Gate = z.object({ allowed: z.boolean(), reason: z.string() });

/** One IdP signing certificate as the console shows it: validity and expiry in words. */
export const CertificateView = z.object({
  pem: z.string(),
  subject: z.string(),
  notBefore: z.number(),
  notAfter: z.number(),
  /** SHA-256 of the DER, colon-separated hex: what IdP consoles show beside the certificate. */
  sha256: z.string(),
  /** "expires in 12 days", "expired on 2026-01-02". */
  expiry: z.string(),
  status: z.enum(['ok', 'expiring', 'expired', 'not_yet_valid']),
});
export type CertificateView = z.infer<typeof CertificateView>;

export const SamlConfigView = z.object({
  account: z.string(),
  accountName: z.string(),
  plan: z.enum(PLANS),
  configured: z.boolean(),
  enabled: z.boolean(),
  preset: z.enum(SAML_PRESETS),
  idp: z.object({
    entityId: z.string(),
    ssoUrl: z.string(),
    /** How SSO Desk sends the AuthnRequest: HTTP-POST only when the IdP's metadata offers nothing else. */
    authnRequestBinding: z.enum(['HTTP-Redirect', 'HTTP-POST']),
    certificates: z.array(CertificateView),
  }),
  /** Whether the IdP settings came from a metadata document (kept for Test connection and export). */
  idpMetadataSet: z.boolean(),
  acsPort: z.number().int(),
  nameIdFormat: z.string(),
  /** `nameid`, or the name of the attribute that carries the user's email. */
  userAttribute: z.string(),
  allowIdpInitiated: z.boolean(),
  clockSkewSeconds: z.number().int(),
  /** RSA-SHA1 signatures accepted: off unless the admin switched it on (warned). */
  allowSha1: z.boolean(),
  /** What the admin registers at the IdP. */
  sp: z.object({
    entityId: z.string(),
    acsUrl: z.string(),
    /** The SP certificate (for encrypted assertions); its private key stays encrypted here, never sent. */
    certificate: z.string().nullable(),
    keySet: z.boolean(),
  }),
  enabledAt: z.number().nullable(),
  enabledBy: z.string().nullable(),
  /** OIDC is switched on for this account: SAML cannot be switched on beside it. */
  oidcEnabled: z.boolean(),
  canEnable: Gate,
  canUsePresets: Gate,
  enforcement: EnforcementView,
});
export type SamlConfigView = z.infer<typeof SamlConfigView>;

const pem = z.string().max(16_384);

/** The settings as the form holds them. Absent fields keep what is stored (or the default for a new config). */
export const SamlDraftInput = z.strictObject({
  account: accountId,
  enabled: z.boolean(),
  preset: z.enum(SAML_PRESETS).default('generic'),
  /** Typed by hand. Ignored when metadata is given. */
  idp: z
    .strictObject({
      entityId: z.string().max(1024),
      ssoUrl: z.string().max(2048),
      certificates: z.array(pem).max(8),
    })
    .optional(),
  /** IdP metadata as a document (a file or pasted text); its entity ID, SSO URL and certificates win. */
  idpMetadataXml: z
    .string()
    .max(MAX_METADATA_BYTES, `idpMetadataXml: a metadata document is at most ${MAX_METADATA_BYTES} bytes`)
    .optional(),
  /** IdP metadata by URL: fetched on save (and on Test connection). */
  idpMetadataUrl: z.string().max(2048).optional(),
  acsPort: z.number().optional(),
  nameIdFormat: z.string().max(200).optional(),
  userAttribute: z.string().max(300).optional(),
  allowIdpInitiated: z.boolean().optional(),
  clockSkewSeconds: z.number().optional(),
  allowSha1: z.boolean().optional(),
  /** true: generate a new SP key pair (for encrypted assertions); the IdP needs the new certificate. */
  newSpKey: z.boolean().optional(),
  /** true: remove the SP key pair (assertions must then come unencrypted). */
  clearSpKey: z.boolean().optional(),
  actor: z.string().max(254).default('console'),
  confirmLockout: z.number().int().min(0).max(1_000_000).optional(),
  ownerPassword: z.boolean().optional(),
});

export const SamlTestInput = SamlDraftInput.omit({ enabled: true, actor: true }).extend({
  enabled: z.boolean().optional(),
  timeoutMs: z.number().int().min(200).max(30_000).default(8000),
});

export const SamlCheck = z.object({
  check: z.string(),
  result: z.enum(['ok', 'fail', 'skip']),
  reason: z.string(),
});
export type SamlCheck = z.infer<typeof SamlCheck>;

/** A SAML message decoded for people: its kind, XML, the facts it asserts, each check and a verdict. */
export const SamlInspection = z.object({
  kind: z.enum(['response', 'authn_request', 'unknown']),
  xml: z.string(),
  facts: z.array(z.object({ name: z.string(), value: z.string() })),
  checks: z.array(SamlCheck),
  verdict: z.string(),
  ok: z.boolean(),
});
export type SamlInspection = z.infer<typeof SamlInspection>;

export const InspectSamlInput = z.strictObject({
  text: z
    .string()
    .min(1, 'paste a SAMLResponse or an AuthnRequest')
    .max(MAX_SAML_RESPONSE_BYTES, `a SAML message is at most ${MAX_SAML_RESPONSE_BYTES} bytes`),
  account: accountId.optional(),
});

export const samlChannels = {
  get: channel(
    z.strictObject({ account: accountId }),
    SamlConfigView,
    'An account’s SAML settings; the SP private key only as set/not set.',
  ),
  save: channel(
    SamlDraftInput,
    SamlConfigView,
    'Validate and save an account’s SAML settings: every bad field is named, nothing half-saved.',
  ),
  test: channel(
    SamlTestInput,
    TestReport,
    'IdP metadata, certificates (validity, expiry) and the SSO URL of a configuration, saved or not.',
  ),
  metadata: channel(
    z.strictObject({ account: accountId }),
    z.object({ xml: z.string(), fileName: z.string() }),
    'The SP metadata XML of an account, to copy or download into the IdP.',
  ),
};

export { ACS_PORT_MAX, ACS_PORT_MIN, MAX_CLOCK_SKEW_SECONDS };
