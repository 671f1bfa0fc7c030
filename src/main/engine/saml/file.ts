import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { z } from 'zod';
import { invalidInput } from '@shared/errors';
import type { SamlConfigFile } from '@shared/workspace';
import type { SamlRow } from '../../store/sso-saml';
import { describeCertificate, toPem } from './certificates';
import { parseIdpMetadata } from './idp-metadata';

type File = z.output<typeof SamlConfigFile>;

/**
 * A workspace file's `accounts[].saml` as a row (without the encrypted key and the timestamps), every
 * problem naming its path: metadata that is not XML or has no signing certificate, a certificate that
 * does not parse or has expired, an SP key that is not a private key or does not match its certificate.
 * @throws DeskError `invalid_input` with the field's path.
 */
export function samlRowFromFile(
  accountId: string,
  f: File,
  path: string,
  now: number,
): Omit<SamlRow, 'spKeyEnc' | 'enabledAt' | 'enabledBy' | 'updatedAt'> {
  let idpEntityId: string;
  let idpSsoUrl: string;
  let idpCerts: string[];
  if (f.idpMetadataXml) {
    try {
      ({ entityId: idpEntityId, ssoUrl: idpSsoUrl, certificates: idpCerts } = parseIdpMetadata(f.idpMetadataXml));
    } catch (error) {
      throw invalidInput(`${path}.idpMetadataXml`, (error as Error).message);
    }
  } else if (f.idp) {
    idpEntityId = f.idp.entityId;
    idpSsoUrl = f.idp.ssoUrl;
    idpCerts = f.idp.certificates.map((c, i) => {
      try {
        return toPem(c);
      } catch (error) {
        throw invalidInput(`${path}.idp.certificates[${i}]`, (error as Error).message);
      }
    });
  } else throw invalidInput(`${path}.idp`, 'give the IdP (entityId, ssoUrl, certificates) or idpMetadataXml');
  idpCerts.forEach((pem, i) => {
    const c = describeCertificate(pem, now);
    if (c.status === 'expired') throw invalidInput(`${path}.idp.certificates[${i}]`, `the certificate ${c.expiry}`);
  });
  let spCert: string | null = null;
  if (f.spCertificate) {
    try {
      spCert = toPem(f.spCertificate);
    } catch (error) {
      throw invalidInput(`${path}.spCertificate`, (error as Error).message);
    }
  }
  if (f.spPrivateKey) {
    let key;
    try {
      key = createPrivateKey(f.spPrivateKey);
    } catch {
      throw invalidInput(`${path}.spPrivateKey`, 'not a PEM private key');
    }
    if (!spCert) throw invalidInput(`${path}.spCertificate`, 'an SP private key comes with its certificate');
    if (!new X509Certificate(spCert).checkPrivateKey(key))
      throw invalidInput(`${path}.spPrivateKey`, 'the private key does not match spCertificate');
  }
  return {
    accountId,
    enabled: f.enabled,
    preset: f.preset,
    idpEntityId,
    idpSsoUrl,
    idpCerts,
    idpMetadataXml: f.idpMetadataXml ?? null,
    acsPort: f.acsPort,
    nameIdFormat: f.nameIdFormat,
    userAttribute: f.userAttribute,
    allowIdpInitiated: f.allowIdpInitiated,
    clockSkewSeconds: f.clockSkewSeconds,
    allowSha1: f.allowSha1,
    spCert,
  };
}
