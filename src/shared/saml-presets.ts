import { NAMEID_FORMATS, type SamlPreset } from './saml-config';

/** What each IdP vendor calls the fields, and the steps to create the SAML app, in the vendor's own words. */
export interface SamlPresetInfo {
  label: string;
  /** The vendor's label for the SP entity ID and the ACS URL. */
  entityIdLabel: string;
  acsLabel: string;
  /** Where the IdP's metadata is, as a URL template for the admin to fill in. */
  metadataHint: string;
  /** The user attribute this vendor sends by default (`nameid`, or an attribute name). */
  userAttribute: string;
  nameIdFormat: string;
  steps: string[];
  /** Needs the Enterprise toolkit package (every preset but generic). */
  toolkit: boolean;
}

export const ENTRA_EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

export const SAML_PRESET_INFO: Record<SamlPreset, SamlPresetInfo> = {
  generic: {
    label: 'Generic SAML 2.0',
    entityIdLabel: 'SP entity ID (Audience)',
    acsLabel: 'Assertion Consumer Service URL',
    metadataHint: 'https://idp.example/saml/metadata',
    userAttribute: 'nameid',
    nameIdFormat: NAMEID_FORMATS.email,
    steps: [
      'Create a SAML 2.0 service provider (relying party) at your IdP.',
      'Enter the SP entity ID and the Assertion Consumer Service URL below (HTTP-POST binding).',
      'Have the IdP sign the Response or the Assertion with RSA-SHA256, and send the email as NameID.',
      'Import the IdP metadata (URL or file) here, or type its entity ID, SSO URL and signing certificate.',
    ],
    toolkit: false,
  },
  okta: {
    label: 'Okta (SAML app)',
    entityIdLabel: 'Audience URI (SP Entity ID)',
    acsLabel: 'Single sign-on URL',
    metadataHint: 'https://{yourOktaDomain}/app/{appId}/sso/saml/metadata',
    userAttribute: 'nameid',
    nameIdFormat: NAMEID_FORMATS.email,
    steps: [
      'Okta Admin Console › Applications › Applications › Create App Integration › SAML 2.0.',
      'General Settings: App name "SSO Desk" › Next.',
      'Configure SAML: Single sign-on URL = the ACS URL below; check "Use this for Recipient URL and Destination URL".',
      'Audience URI (SP Entity ID) = the SP entity ID below; Name ID format = EmailAddress; Application username = Email.',
      'Finish, then Sign On tab › SAML Signing Certificates › Actions › View IdP metadata: copy its URL here.',
      'Assignments tab: assign the people or groups who sign in to SSO Desk.',
    ],
    toolkit: true,
  },
  entra: {
    label: 'Microsoft Entra ID (enterprise application)',
    entityIdLabel: 'Identifier (Entity ID)',
    acsLabel: 'Reply URL (Assertion Consumer Service URL)',
    metadataHint:
      'https://login.microsoftonline.com/{tenant}/federationmetadata/2007-06/federationmetadata.xml?appid={appId}',
    userAttribute: ENTRA_EMAIL_CLAIM,
    nameIdFormat: NAMEID_FORMATS.email,
    steps: [
      'Microsoft Entra admin center › Enterprise applications › New application › Create ' +
        'your own application › "Integrate any other application you don’t find in the gallery (Non-gallery)".',
      'Single sign-on › SAML › Basic SAML Configuration › Edit: Identifier (Entity ID) = ' +
        'the SP entity ID below; Reply URL (Assertion Consumer Service URL) = the ACS URL below.',
      'Attributes & Claims: keep the emailaddress claim (http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress); ' +
        'the issuer is https://sts.windows.net/{tenant}/.',
      'SAML Certificates: signing option "Sign SAML response and assertion", algorithm SHA-256; copy the App Federation Metadata Url here.',
      'Users and groups: add the users who sign in to SSO Desk.',
    ],
    toolkit: true,
  },
  google: {
    label: 'Google Workspace',
    entityIdLabel: 'Entity ID',
    acsLabel: 'ACS URL',
    metadataHint: 'Download metadata (IdP metadata file) from the app’s page',
    userAttribute: 'nameid',
    nameIdFormat: NAMEID_FORMATS.email,
    steps: [
      'Google Admin console › Apps › Web and mobile apps › Add app › Add custom SAML app.',
      'App details: name "SSO Desk" › Continue.',
      'Google Identity Provider details: DOWNLOAD METADATA, and import that file here › Continue.',
      'Service provider details: ACS URL = the ACS URL below; Entity ID = the SP entity ' +
        'ID below; Name ID format EMAIL, Name ID Basic Information › Primary email.',
      'User access: ON for everyone, or for the organizational units that use SSO Desk.',
    ],
    toolkit: true,
  },
  ping: {
    label: 'PingOne',
    entityIdLabel: 'Entity ID',
    acsLabel: 'ACS URLs',
    metadataHint: 'https://auth.pingone.com/{environmentId}/saml20/metadata/{applicationId}',
    userAttribute: 'nameid',
    nameIdFormat: NAMEID_FORMATS.email,
    steps: [
      'PingOne admin console › Applications › Applications › + › SAML Application.',
      'SAML Configuration › Manually Enter: ACS URLs = the ACS URL below; Entity ID = the SP entity ID below.',
      'Attribute Mappings: saml_subject = Email Address.',
      'Configuration tab: copy the IdP Metadata URL here; enable the application.',
    ],
    toolkit: true,
  },
};
