import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import * as xmlenc from 'xml-encryption';
import { parse, samlWorld, serialize } from './helpers';

type World = Awaited<ReturnType<typeof samlWorld>>;
let w: World;
beforeAll(async () => {
  w = await samlWorld();
  // An SP key pair for this account: the IdP encrypts assertions to its certificate.
  await w.engine.save({ account: 'acme', enabled: true, preset: 'generic', actor: 'test', newSpKey: true });
});
afterAll(async () => {
  await w.close();
});

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** The signed assertion of a response, encrypted to `cert` (AES-256-GCM, RSA-OAEP) as an IdP does. */
async function encryptAssertion(xml: string, cert: string): Promise<string> {
  const doc = parse(xml);
  const assertion = doc.getElementsByTagNameNS(SAML, 'Assertion')[0]!;
  const publicKey = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const encrypted = await new Promise<string>((resolve, reject) =>
    xmlenc.encrypt(
      serialize(assertion),
      {
        rsa_pub: publicKey,
        pem: cert,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
  const wrapper = parse(`<saml:EncryptedAssertion xmlns:saml="${SAML}">${encrypted}</saml:EncryptedAssertion>`);
  doc.documentElement.replaceChild(doc.importNode(wrapper.documentElement, true), assertion);
  return serialize(doc);
}

describe('encrypted assertions (optional per account, with the SP key pair)', () => {
  it('decrypts with the SP key, then checks the assertion’s signature and conditions as usual', async () => {
    const cert = w.engine.get('acme').sp.certificate!;
    const s = await w.start();
    const r = await w.post(await encryptAssertion(w.response(s.requestId), cert), s.relayState);
    expect(r.status).toBe(200);
    const status = w.flows.status(s.flowId);
    expect(status.state).toBe('signed_in');
    expect(status.steps.find((x) => x.step === 'algorithm')?.detail).toBe('checked after decryption');
  });

  it('refuses an assertion encrypted to another SP’s certificate, with the reason', async () => {
    const { generateKeyAndCertificate } = await import('../../src/main/engine/saml/certificates');
    const other = generateKeyAndCertificate('another SP');
    const s = await w.start();
    const r = await w.post(await encryptAssertion(w.response(s.requestId), other.certPem), s.relayState);
    expect(r.status).toBe(400);
    expect(w.flows.status(s.flowId).error!.message).toMatch(
      /does not decrypt with this account’s SP key|signature does not verify/,
    );
  });
});
