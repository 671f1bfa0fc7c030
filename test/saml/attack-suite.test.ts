import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDP_ENTITY_ID, parse, samlWorld, serialize, strangerKey } from './helpers';
import { spEntityId } from '../../src/shared/saml-config';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

type World = Awaited<ReturnType<typeof samlWorld>>;
let w: World;
beforeAll(async () => {
  w = await samlWorld();
});
afterAll(async () => {
  await w.close();
});

const first = (n: Document | Element, ns: string, local: string): Element =>
  n.getElementsByTagNameNS(ns, local)[0] as Element;
const directChild = (parent: Element, ns: string, local: string): Element =>
  Array.from(parent.childNodes as unknown as Element[]).find(
    (c) => c.nodeType === 1 && c.namespaceURI === ns && c.localName === local,
  )!;
const setNameId = (el: Element, value: string): void => {
  first(el, SAML, 'NameID').textContent = value;
};
const removeSignature = (el: Element): void => {
  const sig = directChild(el, DSIG, 'Signature');
  if (sig) el.removeChild(sig);
};

/** Signature wrapping variants after Somorovsky et al., "On Breaking SAML" (USENIX Security 2012), XSW1–XSW8. */
const XSW: Record<string, (requestId: string) => string> = {
  'XSW1: forged Response, the signed original inside its Signature': (id) => {
    const doc = parse(w.response(id, { sign: 'response' }));
    const root = doc.documentElement;
    const original = root.cloneNode(true);
    root.setAttribute('ID', '_evil_response');
    setNameId(root, 'bob@acme.test');
    const obj = doc.createElementNS(DSIG, 'ds:Object');
    obj.appendChild(original);
    directChild(root, DSIG, 'Signature').appendChild(obj);
    return serialize(doc);
  },
  'XSW2: forged Response, the signed original beside its Signature': (id) => {
    const doc = parse(w.response(id, { sign: 'response' }));
    const root = doc.documentElement;
    const original = root.cloneNode(true);
    root.setAttribute('ID', '_evil_response');
    setNameId(root, 'bob@acme.test');
    root.insertBefore(original, directChild(root, DSIG, 'Signature'));
    return serialize(doc);
  },
  'XSW3: forged Assertion before the signed one': (id) => {
    const doc = parse(w.response(id));
    const signed = first(doc, SAML, 'Assertion');
    const evil = signed.cloneNode(true) as Element;
    evil.setAttribute('ID', '_evil_assertion');
    removeSignature(evil);
    setNameId(evil, 'bob@acme.test');
    doc.documentElement.insertBefore(evil, signed);
    return serialize(doc);
  },
  'XSW4: forged Assertion wrapping the signed one': (id) => {
    const doc = parse(w.response(id));
    const signed = first(doc, SAML, 'Assertion');
    const evil = signed.cloneNode(true) as Element;
    evil.setAttribute('ID', '_evil_assertion');
    removeSignature(evil);
    setNameId(evil, 'bob@acme.test');
    doc.documentElement.replaceChild(evil, signed);
    evil.appendChild(signed);
    return serialize(doc);
  },
  'XSW5: forged Assertion keeps the Signature, the original appended after it': (id) => {
    const doc = parse(w.response(id));
    const signed = first(doc, SAML, 'Assertion');
    const copy = signed.cloneNode(true) as Element;
    removeSignature(copy);
    signed.setAttribute('ID', '_evil_assertion');
    setNameId(signed, 'bob@acme.test');
    doc.documentElement.appendChild(copy);
    return serialize(doc);
  },
  'XSW6: forged Assertion, the signed original inside its Signature': (id) => {
    const doc = parse(w.response(id));
    const signed = first(doc, SAML, 'Assertion');
    const original = signed.cloneNode(true);
    signed.setAttribute('ID', '_evil_assertion');
    setNameId(signed, 'bob@acme.test');
    const obj = doc.createElementNS(DSIG, 'ds:Object');
    obj.appendChild(original);
    directChild(signed, DSIG, 'Signature').appendChild(obj);
    return serialize(doc);
  },
  'XSW7: the signed original hidden in Extensions, a forged one in its place': (id) => {
    const doc = parse(w.response(id));
    const signed = first(doc, SAML, 'Assertion');
    const evil = signed.cloneNode(true) as Element;
    removeSignature(evil);
    setNameId(evil, 'bob@acme.test');
    const ext = doc.createElementNS(SAMLP, 'samlp:Extensions');
    doc.documentElement.replaceChild(evil, signed);
    ext.appendChild(signed);
    doc.documentElement.insertBefore(ext, evil);
    return serialize(doc);
  },
  'XSW8: forged Assertion, the unsigned original in its Signature’s Object': (id) => {
    const doc = parse(w.response(id));
    const signed = first(doc, SAML, 'Assertion');
    const original = signed.cloneNode(true) as Element;
    removeSignature(original);
    setNameId(signed, 'bob@acme.test');
    const obj = doc.createElementNS(DSIG, 'ds:Object');
    obj.appendChild(original);
    directChild(signed, DSIG, 'Signature').appendChild(obj);
    return serialize(doc);
  },
  'the signature moved to refer to another ID': (id) => {
    const doc = parse(w.response(id));
    const signed = first(doc, SAML, 'Assertion');
    signed.setAttribute('ID', '_renamed');
    return serialize(doc);
  },
};

const OTHER: Record<string, { make: (requestId: string) => string; reason: RegExp; code: string }> = {
  'an unsigned assertion': { make: (id) => w.response(id, { sign: 'none' }), reason: /not signed/, code: 'unsigned' },
  'a stripped signature (signed, then the Signature removed)': {
    make: (id) => {
      const doc = parse(w.response(id));
      removeSignature(first(doc, SAML, 'Assertion'));
      return serialize(doc);
    },
    reason: /not signed/,
    code: 'unsigned',
  },
  'a tampered NameID under a valid signature': {
    make: (id) => w.response(id).replace('>ann@acme.test<', '>bob@acme.test<'),
    reason: /signature does not verify/,
    code: 'bad_signature',
  },
  'a comment inside the NameID': {
    make: (id) =>
      w
        .response(id, { nameId: 'ann@acme.test.evil.example' })
        .replace('ann@acme.test.evil', 'ann@acme.test<!---->.evil'),
    reason: /XML comment/,
    code: 'xml_comment',
  },
  'a wrong audience': {
    make: (id) => w.response(id, { audience: 'urn:another:sp' }),
    reason: /meant for another service provider.*urn:another:sp/,
    code: 'wrong_audience',
  },
  'an expired assertion': {
    make: (id) =>
      w.response(id, {
        issueInstant: Date.now() - 30 * 60_000,
        notBefore: Date.now() - 30 * 60_000,
        notOnOrAfter: Date.now() - 20 * 60_000,
      }),
    reason: /expired/,
    code: 'expired',
  },
  'a not-yet-valid assertion': {
    make: (id) => w.response(id, { notBefore: Date.now() + 20 * 60_000, notOnOrAfter: Date.now() + 30 * 60_000 }),
    reason: /not valid yet/,
    code: 'not_yet_valid',
  },
  'a wrong Destination': {
    make: (id) => w.response(id, { destination: 'https://elsewhere.example/acs', recipient: w.acs }),
    reason: /addressed to https:\/\/elsewhere\.example\/acs, not to this ACS/,
    code: 'wrong_destination',
  },
  'a wrong Recipient': {
    make: (id) => w.response(id, { recipient: 'https://elsewhere.example/acs' }),
    reason: /Recipient https:\/\/elsewhere\.example\/acs, not this ACS/,
    code: 'wrong_recipient',
  },
  'a wrong InResponseTo': {
    make: () => w.response('_someone_elses_request'),
    reason: /answers AuthnRequest _someone_elses_request, not the one this sign-in sent/,
    code: 'wrong_in_response_to',
  },
  'a certificate not in the IdP metadata': {
    make: (id) => w.response(id, { privateKey: strangerKey().privatePem, certificate: strangerKey().certPem }),
    reason: /signature does not verify with the IdP certificate/,
    code: 'bad_signature',
  },
  'another IdP as Issuer': {
    make: (id) => w.response(id, { issuer: 'https://evil-idp.example/' }),
    reason: /issued by https:\/\/evil-idp\.example\/, not by this account’s IdP/,
    code: 'wrong_issuer',
  },
  'an RSA-SHA1 signature': {
    make: (id) => w.response(id, { algorithm: 'sha1' }),
    reason: /signed with SHA-1.*refused/,
    code: 'weak_algorithm',
  },
  'an IdP-initiated response (refused by default)': {
    make: () => w.response(undefined),
    reason: /answers no AuthnRequest \(IdP-initiated sign-in\), which this account refuses/,
    code: 'idp_initiated',
  },
  'a billion-laughs document': {
    make: () =>
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><samlp:Response xmlns:samlp="${SAMLP}">&lol2;</samlp:Response>`,
    reason: /DOCTYPE.*no entity expansion/,
    code: 'doctype',
  },
};

describe('the ACS refuses forged SAML responses, each with its reason, none with a 5xx', () => {
  it('accepts the genuine response (the baseline the attacks start from)', async () => {
    const s = await w.start();
    const r = await w.post(w.response(s.requestId), s.relayState);
    expect(r.status).toBe(200);
    expect(r.text).toContain('You are signed in to Acme Corp as ann@acme.test');
    const status = w.flows.status(s.flowId);
    expect(status.state).toBe('signed_in');
    expect(status.session).toMatchObject({ email: 'ann@acme.test', account: 'acme' });
    expect(status.issuer).toBe(IDP_ENTITY_ID);
  });

  for (const [name, make] of Object.entries(XSW)) {
    it(`refuses ${name}`, async () => {
      const s = await w.start();
      const r = await w.post(make(s.requestId), s.relayState);
      expect(r.status).toBe(400);
      const status = w.flows.status(s.flowId);
      expect(status.state).toBe('failed');
      expect(status.session).toBeNull();
      expect(status.error!.message).toMatch(/signature wrapping|signature does not verify/);
      expect(r.text).toContain(escapeHtml(status.error!.message));
    });
  }

  for (const [name, c] of Object.entries(OTHER)) {
    it(`refuses ${name}`, async () => {
      const s = await w.start();
      const r = await w.post(c.make(s.requestId), s.relayState);
      expect(r.status).toBe(400);
      const status = w.flows.status(s.flowId);
      expect(status.state).toBe('failed');
      expect(status.error).toMatchObject({ code: c.code });
      expect(status.error!.message).toMatch(c.reason);
      expect(status.session).toBeNull();
    });
  }

  it('refuses a second post of a used response (the flow answers once)', async () => {
    const s = await w.start();
    const xml = w.response(s.requestId);
    expect((await w.post(xml, s.relayState)).status).toBe(200);
    // The ACS closes once no sign-in waits; another sign-in opens it again.
    const other = await w.start('bob@acme.test');
    const again = await w.post(xml, s.relayState);
    expect(again.status).toBe(409);
    expect(again.text).toContain('a response is used once');
    expect(w.flows.status(s.flowId).state).toBe('signed_in');
    expect(w.flows.status(other.flowId).state).toBe('waiting');
    await w.flows.cancel(other.flowId);
  });

  it('refuses a body beyond the bound unread (413) and a SAMLResponse above 20 MB undecoded (400)', async () => {
    const s = await w.start();
    const huge = await w.post('A'.repeat(30 * 1024 * 1024), s.relayState, true);
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('larger than 20 MB');
    expect(w.flows.status(s.flowId).state).toBe('waiting');
    const big = await w.post('A'.repeat(21 * 1024 * 1024), s.relayState, true);
    expect(big.status).toBe(400);
    expect(w.flows.status(s.flowId).error!.message).toMatch(/21\.0 MB; at most 20 MB is read/);
  });

  it('refuses a body that is not SAML with its reason', async () => {
    const s = await w.start();
    const junk = await w.post('not base64 at all!', s.relayState, true);
    expect(junk.status).toBe(400);
    expect(w.flows.status(s.flowId).error!.message).toMatch(/neither XML nor base64/);
  });

  it('signs in with the audience of this SP only', () => {
    expect(spEntityId('acme')).toBe('urn:sso-desk:sp:acme');
  });
});

describe('replay cache and IdP-initiated sign-in allowed per account', () => {
  let v: World;
  beforeAll(async () => {
    v = await samlWorld({ allowIdpInitiated: true });
  });
  afterAll(async () => {
    await v.close();
  });

  it('accepts an IdP-initiated response with a warning, and refuses the same assertion replayed', async () => {
    const xml = v.response(undefined);
    const a = await v.start();
    expect((await v.post(xml, a.relayState)).status).toBe(200);
    const steps = v.flows.status(a.flowId).steps;
    expect(steps.find((x) => x.step === 'in_response_to' && x.outcome === 'warn')?.detail).toMatch(
      /IdP-initiated sign-in is allowed/,
    );
    const b = await v.start();
    const replay = await v.post(xml, b.relayState);
    expect(replay.status).toBe(400);
    expect(v.flows.status(b.flowId).error).toMatchObject({ code: 'replayed' });
    expect(v.flows.status(b.flowId).error!.message).toMatch(/already used to sign in: refused as a replay/);
  });
});

describe('SHA-1 only with the warned switch', () => {
  let v: World;
  beforeAll(async () => {
    v = await samlWorld({ allowSha1: true });
  });
  afterAll(async () => {
    await v.close();
  });
  it('accepts RSA-SHA1 where the account switched it on, and says so in the trace', async () => {
    const s = await v.start();
    expect((await v.post(v.response(s.requestId, { algorithm: 'sha1' }), s.relayState)).status).toBe(200);
    expect(v.flows.status(s.flowId).steps.find((x) => x.step === 'algorithm')?.detail).toMatch(
      /SHA-1 accepted because "Accept SHA-1" is on/,
    );
  });
});

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
