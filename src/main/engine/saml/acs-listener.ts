import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DeskError } from '@shared/errors';
import { ACS_PATH, MAX_SAML_RESPONSE_BYTES, SAML_START_PATH } from '@shared/saml-config';
import { respond, type CallbackReply } from '../oidc/loopback-listener';
import type { PostPage } from './post-form';
import { foreignHost } from '../network/check-host';

/** What a POST to the ACS carries (SAML 2.0 Bindings §3.5: HTTP-POST). */
export interface AcsPost {
  samlResponse: string;
  relayState: string | null;
}

export interface AcsRoute {
  /** Answers one POST to the ACS. Never throws: every refusal is a page with its reason. */
  onPost(post: AcsPost): Promise<CallbackReply>;
  /** For an IdP whose SSO URL takes only HTTP-POST: the page that posts a waiting flow's AuthnRequest. */
  startPage(flowKey: string): PostPage | null;
}

/** The body bound: a 20 MB SAMLResponse in base64 with its form encoding, and a little room. */
const MAX_BODY = Math.ceil((MAX_SAML_RESPONSE_BYTES * 4) / 3) + 64 * 1024;

/**
 * The Assertion Consumer Service on the loopback listener: `POST /saml/acs` on 127.0.0.1 at the
 * account's fixed port (the IdP matches the ACS URL exactly). It listens while a sign-in waits and
 * closes when none does. A body above the bound is cut with 413; anything but the ACS (and, for an IdP that
 * takes only HTTP-POST, the page that posts a waiting flow's AuthnRequest) is 404.
 */
export class AcsListener {
  private server: Server | null = null;
  closed = false;

  private constructor(
    readonly port: number,
    private readonly route: AcsRoute,
  ) {}

  /** @throws DeskError `port_in_use` (field `acsPort`) when another program holds the port. */
  static async open(port: number, route: AcsRoute): Promise<AcsListener> {
    const l = new AcsListener(port, route);
    const server = createServer((req, res) => void l.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE' || error.code === 'EACCES'
            ? new DeskError(
                'port_in_use',
                `the ACS port ${port} is ` +
                  `${error.code === 'EACCES' ? 'not allowed' : 'in use: another program listens on 127.0.0.1:' + port}. ` +
                  `Close it, or choose another ACS port in Settings › Security › SSO and register the ` +
                  `new ACS URL at the IdP`,
                { field: 'acsPort', status: 409, cause: error },
              )
            : error,
        ),
      );
      server.listen(port, '127.0.0.1', () => resolve());
    });
    l.server = server;
    return l;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page whose name resolves to 127.0.0.1 gets nothing from the ACS.
    const foreign = foreignHost(req, this.port);
    if (foreign) return respond(res, { status: 421, title: 'Wrong address', message: foreign });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith(SAML_START_PATH)) {
      const page = this.route.startPage(url.pathname.slice(SAML_START_PATH.length));
      if (!page) return respond(res, { status: 404, title: 'Not found', message: 'This sign-in has ended.' });
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': page.csp,
      });
      res.end(page.html);
      return;
    }
    if (url.pathname !== ACS_PATH)
      return respond(res, { status: 404, title: 'Not found', message: 'This address only receives SAML responses.' });
    if (req.method !== 'POST')
      return respond(res, {
        status: 405,
        title: 'Sign-in failed',
        message: 'The ACS takes the HTTP-POST binding only: the IdP must POST the SAMLResponse here.',
      });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded')
      return respond(res, {
        status: 415,
        title: 'Sign-in failed',
        message: 'The ACS expects an HTML form post (application/x-www-form-urlencoded) with a SAMLResponse.',
      });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) return this.tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let cut = false;
    await new Promise<void>((resolve) => {
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          cut = true;
          req.destroy();
          resolve();
        } else chunks.push(c);
      });
      req.on('end', () => resolve());
      req.on('error', () => resolve());
    });
    if (cut) return this.tooLarge(req, res);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('latin1'));
    const samlResponse = form.get('SAMLResponse');
    if (!samlResponse)
      return respond(res, { status: 400, title: 'Sign-in failed', message: 'The post carries no SAMLResponse.' });
    let reply: CallbackReply;
    try {
      reply = await this.route.onPost({ samlResponse, relayState: form.get('RelayState') });
    } catch {
      reply = { status: 400, title: 'Sign-in failed', message: 'SSO Desk could not read this SAML response.' };
    }
    respond(res, reply);
  }

  private tooLarge(_req: IncomingMessage, res: ServerResponse): void {
    respond(res, {
      status: 413,
      title: 'Sign-in failed',
      message: `The SAML response is larger than ${MAX_SAML_RESPONSE_BYTES / 1024 / 1024} MB: refused unread.`,
    });
  }

  async close(): Promise<void> {
    if (this.closed || !this.server) return;
    this.closed = true;
    const s = this.server;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}
