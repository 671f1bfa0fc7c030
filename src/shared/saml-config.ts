/**
 * SAML 2.0 SSO settings shared by the Settings form and the engine: the SP's names an admin copies into
 * the IdP, the NameID formats, the bounds of each field. Pure TypeScript.
 */

export const SAML_PRESETS = ['generic', 'okta', 'entra', 'google', 'ping'] as const;
export type SamlPreset = (typeof SAML_PRESETS)[number];

/** SAML 2.0 Core §8.3: the NameID formats an SP may ask for. */
export const NAMEID_FORMATS = {
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
} as const;
export const NAMEID_FORMAT_VALUES = Object.values(NAMEID_FORMATS) as [string, ...string[]];

/** The default fixed ACS port (the IdP matches the ACS URL exactly, port included). */
export const DEFAULT_ACS_PORT = 8766;
export const ACS_PORT_MIN = 1024;
export const ACS_PORT_MAX = 65535;
export const ACS_PATH = '/saml/acs';
/** The ACS listener's page that posts an AuthnRequest to an IdP taking only HTTP-POST (`/saml/start/<flow>`). */
export const SAML_START_PATH = '/saml/start/';
export const DEFAULT_CLOCK_SKEW_SECONDS = 120;
export const MAX_CLOCK_SKEW_SECONDS = 600;
/** A SAMLResponse (base64) above this is refused before it is decoded. */
export const MAX_SAML_RESPONSE_BYTES = 20 * 1024 * 1024;
/** IdP metadata documents above this are refused (real ones are a few KiB; Entra's federation metadata ~ 60 KiB). */
export const MAX_METADATA_BYTES = 1024 * 1024;

/** The SP entity ID of an account: what the IdP calls "Audience URI", "Identifier" or "Entity ID". */
export const spEntityId = (accountId: string): string => `urn:sso-desk:sp:${accountId}`;

/** The Assertion Consumer Service URL (HTTP-POST binding) on the loopback listener. */
export const acsUrl = (port: number): string => `http://127.0.0.1:${port}${ACS_PATH}`;

/** `sha1` in a SignatureMethod or DigestMethod algorithm URI. */
export const isSha1Algorithm = (uri: string): boolean => /sha1$/i.test(uri);
