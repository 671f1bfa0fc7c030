import { createServer as createHttp, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';

const TLS_DIR = join(__dirname, '../fixtures/tls/private-ca');
/** The private CA of test/fixtures/tls/private-ca, as an admin would paste it. */
export const PRIVATE_CA_PEM = readFileSync(join(TLS_DIR, 'ca.pem'), 'utf8');

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A small OpenID provider for the network tests: discovery, JWKS and an authorization endpoint whose
 * answer the test sets (`authorize`), over http or https (with a certificate from the private CA).
 * It records every request, headers and body included, so a test can prove what was (not) sent.
 */
export interface SpyIdp {
  url: string;
  issuer: string;
  seen: SeenRequest[];
  meta: Record<string, unknown>;
  /** How /auth answers; default: a redirect back with error=login_required. */
  authorize: (url: URL, res: ServerResponse) => void;
  /** Extra routes, tried first. */
  routes: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  close(): Promise<void>;
}

export async function startSpyIdp(opts: { https?: boolean } = {}): Promise<SpyIdp> {
  const { publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const spy = {
    seen: [] as SeenRequest[],
    routes: new Map<string, (req: IncomingMessage, res: ServerResponse) => void>(),
    authorize: (url: URL, res: ServerResponse) => {
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('error', 'login_required');
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
    },
  } as SpyIdp;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      spy.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      // One connection per request, so that a proxy's log counts requests.
      res.setHeader('connection', 'close');
      const url = new URL(req.url ?? '/', spy.url);
      const route = spy.routes.get(url.pathname);
      if (route) return route(req, res);
      if (url.pathname === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(spy.meta));
      }
      if (url.pathname === '/jwks') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ keys: [jwk] }));
      }
      if (url.pathname === '/auth') return spy.authorize(url, res);
      res.writeHead(404).end();
    });
  };
  const server: Server = opts.https
    ? createHttps(
        { key: readFileSync(join(TLS_DIR, 'idp-key.pem')), cert: readFileSync(join(TLS_DIR, 'idp.pem')) },
        handler,
      )
    : createHttp(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  spy.url = `${opts.https ? 'https' : 'http'}://127.0.0.1:${port}`;
  spy.issuer = spy.url;
  spy.meta = {
    issuer: spy.issuer,
    authorization_endpoint: `${spy.url}/auth`,
    token_endpoint: `${spy.url}/token`,
    jwks_uri: `${spy.url}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256'],
    end_session_endpoint: `${spy.url}/logout`,
  };
  spy.close = async () => {
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return spy;
}
