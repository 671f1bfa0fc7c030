import { X509Certificate, createHash, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateView } from '@shared/contract/saml';

const DAY = 86_400_000;
/** A certificate that expires within this many days "needs attention" (Settings and Home). */
export const EXPIRY_WARNING_DAYS = 30;

/**
 * A certificate as PEM, from PEM or from the bare base64 of a metadata document's X509Certificate.
 * @throws Error when the text is not an X.509 certificate.
 */
export function toPem(text: string): string {
  const body = text
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
    .trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('not a PEM certificate (BEGIN CERTIFICATE) or its base64');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw new Error('not a PEM certificate (BEGIN CERTIFICATE) or its base64: it does not parse as X.509');
  }
  return pem;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The validity of a certificate in words: "expires in 12 days", "expired on 2026-01-02". */
export function describeCertificate(pem: string, now: number): CertificateView {
  const c = new X509Certificate(pem);
  const notBefore = Date.parse(c.validFrom);
  const notAfter = Date.parse(c.validTo);
  const days = Math.floor((notAfter - now) / DAY);
  const status: CertificateView['status'] =
    now < notBefore ? 'not_yet_valid' : now >= notAfter ? 'expired' : days < EXPIRY_WARNING_DAYS ? 'expiring' : 'ok';
  const expiry =
    status === 'expired'
      ? `expired on ${day(notAfter)}`
      : status === 'not_yet_valid'
        ? `not valid before ${day(notBefore)}`
        : days === 0
          ? `expires today (${day(notAfter)})`
          : `expires in ${days} ${days === 1 ? 'day' : 'days'} (${day(notAfter)})`;
  return {
    pem,
    subject: c.subject.replace(/\n/g, ', '),
    notBefore,
    notAfter,
    sha256: createHash('sha256').update(c.raw).digest('hex').toUpperCase().match(/../g)!.join(':'),
    expiry,
    status,
  };
}

/**
 * A new RSA-2048 key pair with a self-signed certificate (SHA-256), valid for `days`: the SP's key for
 * encrypted assertions, and the embedded demo IdP's signing key. The key is made by node:crypto;
 * node-forge only writes the certificate around it.
 */
export function generateKeyAndCertificate(
  commonName: string,
  opts: { now?: number; days?: number } = {},
): { privatePem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${createHash('sha256').update(privatePem).digest('hex').slice(0, 30)}`;
  const now = opts.now ?? Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + (opts.days ?? 3650) * DAY);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    forge.md.sha256.create(),
  );
  return { privatePem, certPem: forge.pki.certificateToPem(cert) };
}
