import { createServer } from 'node:net';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { testContext } from '../helpers';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { generateKeyAndCertificate } from '../../src/main/engine/saml/certificates';
import { samlEngineFor } from '../../src/main/engine/saml/engine';
import { ssoFlowsFor } from '../../src/main/engine/sso-flows';
import { buildSamlResponse, type ResponseSpec } from '../../src/main/idp/saml-response';
import { decodeSamlText } from '../../src/main/engine/saml/xml-safety';
import { acsUrl, spEntityId } from '../../src/shared/saml-config';

export const IDP_ENTITY_ID = 'https://idp.saml-test.example/';

/** A free loopback port, for an ACS the test owns. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as { port: number };
      s.close(() => resolve(a.port));
    });
  });

/** One RSA key and certificate per test file run: key generation costs ~100 ms. */
let idpKey: { privatePem: string; certPem: string } | undefined;
export const testIdpKey = () => (idpKey ??= generateKeyAndCertificate('SAML test IdP'));
let otherKey: { privatePem: string; certPem: string } | undefined;
/** A key the account does not trust (a certificate not in the metadata). */
export const strangerKey = () => (otherKey ??= generateKeyAndCertificate('Not the IdP'));

/**
 * A store with Acme (Enterprise) whose SAML SSO is on, pointed at a test IdP played by this file:
 * ann is an owner, bob a member, carol deactivated. The clock is real (node-saml reads Date.now()).
 */
export async function samlWorld(
  opts: { allowIdpInitiated?: boolean; userAttribute?: string; allowSha1?: boolean } = {},
) {
  const t = testContext();
  t.clock.t = Date.now();
  const ctx = { ...t.ctx, clock: { now: () => Date.now() } };
  await importWorkspace(t.store.db, ctx.platform.secrets, {
    format: 'sso-desk/workspace@1',
    accounts: [
      {
        id: 'acme',
        name: 'Acme Corp',
        plan: 'enterprise',
        packages: ['sso-login', 'enterprise-toolkit'],
        embeddable: false,
      },
      { id: 'globex', name: 'Globex', plan: 'enterprise', packages: [], embeddable: false },
    ],
    users: [
      { email: 'ann@acme.test', name: 'Ann Lee', password: 'correct horse battery', emailVerified: true },
      { email: 'bob@acme.test', name: 'Bob Stone', password: 'correct horse battery', emailVerified: true },
      { email: 'carol@acme.test', name: 'Carol Diaz', password: 'correct horse battery', emailVerified: true },
    ],
    memberships: [
      { account: 'acme', email: 'ann@acme.test', role: 'owner' },
      { account: 'acme', email: 'bob@acme.test', role: 'member' },
      { account: 'acme', email: 'carol@acme.test', role: 'member', status: 'deactivated', statusBy: 'console' },
    ],
    bots: [],
  });
  const port = await freePort();
  const engine = samlEngineFor(ctx);
  await engine.save({
    account: 'acme',
    enabled: true,
    preset: 'generic',
    actor: 'test',
    idp: { entityId: IDP_ENTITY_ID, ssoUrl: 'https://idp.saml-test.example/sso', certificates: [testIdpKey().certPem] },
    acsPort: port,
    allowIdpInitiated: opts.allowIdpInitiated ?? false,
    ...(opts.userAttribute ? { userAttribute: opts.userAttribute } : {}),
    ...(opts.allowSha1 ? { allowSha1: true } : {}),
  });
  const flows = ssoFlowsFor(ctx);
  return {
    ctx,
    store: t.store,
    port,
    acs: acsUrl(port),
    engine,
    flows,
    /** Starts "Sign in with SSO" and returns the flow, its AuthnRequest ID and RelayState. */
    async start(email = 'ann@acme.test', account?: string) {
      const s = await flows.start(email, account);
      const u = new URL(s.authorizationUrl);
      const request = decodeSamlText(u.searchParams.get('SAMLRequest')!);
      const requestId = /\sID="([^"]+)"/.exec(request)![1]!;
      return { ...s, requestId, relayState: u.searchParams.get('RelayState'), request };
    },
    /** A response as the test IdP signs it for this ACS (override any part). */
    response(requestId: string | undefined, spec: Partial<ResponseSpec> = {}) {
      return buildSamlResponse({
        issuer: IDP_ENTITY_ID,
        destination: acsUrl(port),
        inResponseTo: requestId,
        audience: spEntityId('acme'),
        nameId: 'ann@acme.test',
        privateKey: testIdpKey().privatePem,
        certificate: testIdpKey().certPem,
        ...spec,
      });
    },
    /** POSTs a SAMLResponse (XML, base64-encoded here) to the ACS as a browser's form would. */
    async post(xml: string, relayState?: string | null, raw = false) {
      const body = new URLSearchParams({ SAMLResponse: raw ? xml : Buffer.from(xml).toString('base64') });
      if (relayState) body.set('RelayState', relayState);
      const res = await fetch(acsUrl(port), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      return { status: res.status, text: await res.text() };
    },
    async close() {
      await engine.close();
      t.close();
    },
  };
}

export const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
export const serialize = (doc: Document | Node): string => new XMLSerializer().serializeToString(doc as never);
