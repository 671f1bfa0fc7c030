import { MASK } from '@shared/trace';

/**
 * A SAML message for a trace: readable, but signature values and certificates masked (long and of no
 * use to a reader), and the assertion's attribute values kept. The HAR export redacts whole assertions.
 */
export const redactSamlXml = (xml: string): string =>
  xml
    .replace(/(<(?:\w+:)?SignatureValue[^>]*>)[^<]*(<\/)/g, `$1${MASK}$2`)
    .replace(/(<(?:\w+:)?X509Certificate[^>]*>)[^<]*(<\/)/g, `$1${MASK}$2`)
    .replace(/(<(?:\w+:)?CipherValue[^>]*>)[^<]*(<\/)/g, `$1${MASK}$2`);

/** A whole assertion replaced by a marker: for files that leave the machine (HAR export). */
export const redactAssertions = (xml: string): string =>
  xml
    .replace(/<((?:\w+:)?Assertion)\b[\s\S]*?<\/\1>/g, `<$1>${MASK} (assertion redacted)</$1>`)
    .replace(/<((?:\w+:)?EncryptedAssertion)\b[\s\S]*?<\/\1>/g, `<$1>${MASK}</$1>`);
