import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeBrowser } from '../../../oidc/helpers';

/** A HAR 1.2 entry as Chrome writes it (only the fields SSO Desk reads, plus the usual ones). */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    headers: Array<{ name: string; value: string }>;
    queryString: Array<{ name: string; value: string }>;
    cookies: [];
    headersSize: -1;
    bodySize: number;
    postData?: { mimeType: string; text: string };
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: Array<{ name: string; value: string }>;
    cookies: [];
    content: { size: number; mimeType: string; text?: string; encoding?: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
  };
  cache: object;
  timings: { send: number; wait: number; receive: number };
}

export interface Har {
  log: { version: '1.2'; creator: { name: string; version: string }; pages: []; entries: HarEntry[] };
}

/** A CodeBrowser that writes down every exchange as a HAR entry, the way DevTools' "Save all as HAR" does. */
export class RecordingBrowser extends CodeBrowser {
  readonly entries: HarEntry[] = [];

  override async request(url: string, init: RequestInit = {}): Promise<Response> {
    const started = new Date();
    const cookie = this.sentCookies(url);
    const res = await super.request(url, init);
    const body = await res.text();
    const reqHeaders = Object.entries((init.headers ?? {}) as Record<string, string>).map(([name, value]) => ({
      name,
      value,
    }));
    if (cookie) reqHeaders.push({ name: 'Cookie', value: cookie });
    const resHeaders: Array<{ name: string; value: string }> = [];
    res.headers.forEach((value, name) => {
      if (name !== 'set-cookie') resHeaders.push({ name, value });
    });
    for (const c of res.headers.getSetCookie()) resHeaders.push({ name: 'set-cookie', value: c });
    const u = new URL(url);
    this.entries.push({
      startedDateTime: started.toISOString(),
      time: Date.now() - started.getTime(),
      request: {
        method: init.method ?? 'GET',
        url,
        httpVersion: 'HTTP/1.1',
        headers: reqHeaders,
        queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
        cookies: [],
        headersSize: -1,
        bodySize: typeof init.body === 'string' ? init.body.length : 0,
        ...(typeof init.body === 'string'
          ? { postData: { mimeType: reqHeaders.find((h) => h.name === 'content-type')?.value ?? '', text: init.body } }
          : {}),
      },
      response: {
        status: res.status,
        statusText: res.statusText,
        httpVersion: 'HTTP/1.1',
        headers: resHeaders,
        cookies: [],
        content: { size: body.length, mimeType: res.headers.get('content-type') ?? '', text: body },
        redirectURL: res.headers.get('location') ?? '',
        headersSize: -1,
        bodySize: body.length,
      },
      cache: {},
      timings: { send: 0, wait: 0, receive: 0 },
    });
    // The caller reads the body again: hand back a fresh Response with the same parts.
    return new Response(
      res.status === 204 || res.status === 304 || (res.status >= 300 && res.status < 400) ? null : body,
      {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      },
    );
  }

  /** The Cookie header the last request carried (CodeBrowser keeps its jar private; read it the way it sends it). */
  private sentCookies(_url: string): string {
    return (this as unknown as { cookieHeader(): string }).cookieHeader();
  }

  har(): Har {
    return {
      log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries: this.entries },
    };
  }
}

/** A loopback page standing in for the app's /callback, so the callback is a real exchange. */
export async function callbackServer(): Promise<{ server: Server; redirectUri: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>Signed in. You can close this tab.</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    redirectUri: `http://127.0.0.1:${port}/callback`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface FlowOptions {
  scope?: string;
  pkce?: boolean;
  redirectUri?: string;
}

/**
 * A whole sign-in as a single-page app does it in the browser, recorded: discovery, authorize, the
 * IdP's login form, the callback, the token call and the JWKS. Against a real IdP (the embedded one).
 */
export async function recordSignIn(
  idp: string,
  email: string,
  password: string,
  opts: FlowOptions = {},
): Promise<{ har: Har; state: string; nonce: string }> {
  const browser = new RecordingBrowser();
  const cb = await callbackServer();
  try {
    const discovery = (await (await browser.request(`${idp}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    const state = randomBytes(12).toString('base64url');
    const nonce = randomBytes(12).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const redirectUri = opts.redirectUri ?? cb.redirectUri;
    const authz = new URL(discovery.authorization_endpoint!);
    authz.search = new URLSearchParams({
      client_id: 'sso-desk-demo',
      response_type: 'code',
      scope: opts.scope ?? 'openid email profile',
      redirect_uri: redirectUri,
      state,
      nonce,
      ...(opts.pkce === false
        ? {}
        : { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }),
    }).toString();
    const r = await browser.signInAtIdp(authz.href, email, password).catch((e: Error) => ({ loginError: e.message }));
    if (!('callback' in r)) return { har: browser.har(), state, nonce };
    await browser.request(r.callback);
    const code = new URL(r.callback).searchParams.get('code');
    if (code) {
      await browser.request(discovery.token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: 'sso-desk-demo',
          code_verifier: verifier,
        }).toString(),
      });
      await browser.request(discovery.jwks_uri!);
    }
    return { har: browser.har(), state, nonce };
  } finally {
    await cb.close();
  }
}
