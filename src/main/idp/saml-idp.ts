import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Db } from '../store/db';
import { findUserByEmail } from '../store/users';
import { verifyNothing, verifyPassword } from '../engine/crypto/hash';
import { attemptKeys, gatedCheck, type PasswordGate } from '../engine/passthrough/throttle';
import { generateKeyAndCertificate, toPem } from '../engine/saml/certificates';
import { decodeSamlText, parseXmlSafely, SAML, SAMLP, children, xmlEscape } from '../engine/saml/xml-safety';
import { autoPostPage } from '../engine/saml/post-form';
import { foreignHost } from '../engine/network/check-host';
import { normalizeEmail } from '@shared/domain';
import { ACS_PATH } from '@shared/saml-config';
import { readBody, sendHtml } from '../server/http';
import { closeServer, listenLoopback } from '../server/listen';
import { plainPage } from './login-page';
import { buildSamlResponse } from './saml-response';

/**
 * The embedded SAML IdP of the offline demo, beside the embedded OpenID Provider: it reads an
 * AuthnRequest (HTTP-Redirect or HTTP-POST), asks for the email and password of an SSO Desk user, and posts a
 * signed SAMLResponse (RSA-SHA256, the assertion signed) to the ACS named in the request — which must
 * be an SSO Desk ACS on this computer. Its key and certificate are made once per data dir and kept.
 */
export interface EmbeddedSamlIdp {
  server: Server;
  url: string;
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  certificate: string;
  /** The entity ID of the previous start when the port had to change (accounts pointing at it need repointing). */
  previousEntityId: string | null;
  close(): Promise<void>;
}

interface SamlIdpState {
  version: 1;
  privatePem: string;
  certPem: string;
  port: number | null;
}

export const SAML_IDP_STATE_FILE = 'saml-idp-key.json';

function loadState(dataDir: string): SamlIdpState {
  const file = join(dataDir, SAML_IDP_STATE_FILE);
  if (existsSync(file)) {
    const s = JSON.parse(readFileSync(file, 'utf8')) as SamlIdpState;
    if (s.version === 1 && s.privatePem && s.certPem) return s;
  }
  const k = generateKeyAndCertificate('SSO Desk demo SAML IdP');
  const s: SamlIdpState = { version: 1, privatePem: k.privatePem, certPem: toPem(k.certPem), port: null };
  saveState(dataDir, s);
  return s;
}

function saveState(dataDir: string, s: SamlIdpState): void {
  const file = join(dataDir, SAML_IDP_STATE_FILE);
  writeFileSync(file, JSON.stringify(s), { mode: 0o600 });
  chmodSync(file, 0o600);
}

const LOOPBACK_ACS = new RegExp(`^http://127\\.0\\.0\\.1:\\d{2,5}${ACS_PATH.replace(/\//g, '\\/')}$`);

interface AuthnRequest {
  id: string;
  issuer: string;
  acs: string;
  relayState: string;
  forceAuthn: boolean;
}

/** The AuthnRequest of a redirect, or a reason why it is refused (in words, for the page). */
function readRequest(params: URLSearchParams): AuthnRequest | string {
  const raw = params.get('SAMLRequest');
  if (!raw) return 'This address takes a SAML AuthnRequest (SAMLRequest parameter).';
  let root: Element;
  try {
    root = parseXmlSafely(decodeSamlText(raw), 'the AuthnRequest').documentElement;
  } catch (error) {
    return (error as Error).message;
  }
  if (root.namespaceURI !== SAMLP || root.localName !== 'AuthnRequest')
    return 'The SAMLRequest is not an AuthnRequest.';
  const acs = root.getAttribute('AssertionConsumerServiceURL') ?? '';
  // The demo IdP answers only SSO Desk's own ACS on this computer: it never posts an assertion elsewhere.
  if (!LOOPBACK_ACS.test(acs)) return `The ACS ${acs || '(none)'} is not an SSO Desk ACS on this computer.`;
  return {
    id: root.getAttribute('ID') ?? '',
    issuer: children(root, SAML, 'Issuer')[0]?.textContent?.trim() ?? '',
    acs,
    relayState: params.get('RelayState') ?? '',
    forceAuthn: root.getAttribute('ForceAuthn') === 'true',
  };
}

const PAGE_STYLE =
  'body{font:15px system-ui,sans-serif;max-width:22rem;margin:3rem auto;color:#222}label{display:block;margin:.8rem ' +
  '0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem ' +
  '1rem}.error{color:#a00}.note{color:#555;font-size:13px}';

function loginForm(q: URLSearchParams, sp: string, email = '', error = ''): string {
  const hidden = ['SAMLRequest', 'RelayState']
    .map((k) => `<input type="hidden" name="${k}" value="${xmlEscape(q.get(k) ?? '')}">`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in — SSO Desk demo SAML IdP</title>
<style>${PAGE_STYLE}</style></head><body><main><h1>Sign in</h1>
<p class="note">SSO Desk demo SAML IdP · signing in to ${xmlEscape(sp)}</p>
${error ? `<p role="alert" class="error">${xmlEscape(error)}</p>` : ''}
<form method="post" action="/saml/sso" autocomplete="off">${hidden}
<label for="email">Email</label><input id="email" name="email" type="email" value="${xmlEscape(email)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form></main></body></html>`;
}

/**
 * Long because it is a small HTTP server whose routes (metadata, login page, sign-in) share the IdP's key and
 * state; each route is a few lines.
 */
export async function startEmbeddedSamlIdp(opts: {
  db: Db;
  dataDir: string;
  log: (line: string) => void;
  gate: () => PasswordGate;
}): Promise<EmbeddedSamlIdp> {
  const state = loadState(opts.dataDir);
  const server = createServer();
  let url: string;
  try {
    url = await listenLoopback(server, state.port ?? 0, 'embedded SAML IdP');
  } catch {
    url = await listenLoopback(server, 0, 'embedded SAML IdP');
  }
  const port = Number(new URL(url).port);
  const previousEntityId =
    state.port !== null && state.port !== port ? `http://127.0.0.1:${state.port}/saml/metadata` : null;
  if (state.port !== port) saveState(opts.dataDir, { ...state, port });
  const entityId = `${url}/saml/metadata`;
  const ssoUrl = `${url}/saml/sso`;

  const metadata = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${xmlEscape(entityId)}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
        <ds:X509Certificate>${state.certPem.replace(/-----[A-Z ]+-----|\s/g, '')}</ds:X509Certificate>
      </ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${xmlEscape(ssoUrl)}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${xmlEscape(ssoUrl)}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // DNS rebinding: a page whose name resolves to 127.0.0.1 must not reach the login form.
    const foreign = foreignHost(req, port);
    if (foreign) return sendHtml(res, 421, plainPage('Wrong address', foreign));
    const u = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && u.pathname === '/saml/metadata') {
      res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml', 'Cache-Control': 'no-store' });
      res.end(metadata);
      return;
    }
    if (u.pathname !== '/saml/sso') return sendHtml(res, 404, plainPage('Not found', 'Nothing here.'));
    if (req.method === 'GET') {
      const r = readRequest(u.searchParams);
      if (typeof r === 'string') return sendHtml(res, 400, plainPage('Sign-in could not start', r));
      return sendHtml(res, 200, loginForm(u.searchParams, r.issuer));
    }
    if (req.method !== 'POST') return sendHtml(res, 405, plainPage('Not allowed', 'GET or POST only.'));
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    const r = readRequest(form);
    if (typeof r === 'string') return sendHtml(res, 400, plainPage('Sign-in could not continue', r));
    // An AuthnRequest by the HTTP-POST binding (no credentials yet): the login page, as for a redirect.
    if (!form.has('email')) return sendHtml(res, 200, loginForm(form, r.issuer));
    const email = normalizeEmail(form.get('email') ?? '');
    const password = form.get('password') ?? '';
    const user = findUserByEmail(opts.db, email);
    const checked = await gatedCheck(opts.gate(), attemptKeys({ email, peer: req.socket.remoteAddress ?? null }), () =>
      user?.passwordHash ? verifyPassword(password, user.passwordHash) : verifyNothing(password),
    );
    if (checked.kind === 'refused')
      return sendHtml(
        res,
        429,
        loginForm(
          form,
          r.issuer,
          email,
          `Too many failed sign-ins for this email. Try again in ${checked.retryAfterSeconds} seconds.`,
        ),
      );
    if (!checked.ok || !user) return sendHtml(res, 401, loginForm(form, r.issuer, email, 'Wrong email or password.'));
    const xml = buildSamlResponse({
      issuer: entityId,
      destination: r.acs,
      inResponseTo: r.id || undefined,
      audience: r.issuer,
      nameId: user.email,
      attributes: { email: user.email, name: user.name },
      privateKey: state.privatePem,
      certificate: state.certPem,
    });
    const page = autoPostPage({
      title: 'Signing in — SSO Desk demo SAML IdP',
      heading: 'Signing in…',
      button: 'Continue to SSO Desk',
      action: r.acs,
      fields: { SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: r.relayState },
    });
    sendHtml(res, 200, page.html, { 'Content-Security-Policy': page.csp });
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      opts.log(`[saml-idp] ${(error as Error)?.message ?? String(error)}`);
      if (!res.headersSent)
        sendHtml(res, 400, plainPage('Sign-in failed', 'The demo SAML IdP could not read this request.'));
    });
  });
  return {
    server,
    url,
    entityId,
    ssoUrl,
    metadataUrl: entityId,
    certificate: state.certPem,
    previousEntityId,
    close: () => closeServer(server),
  };
}
