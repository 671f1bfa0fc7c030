import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Db } from '../store/db';
import { findUserByEmail } from '../store/users';
import { verifyNothing, verifyPassword } from '../engine/crypto/hash';
import { attemptKeys, gatedCheck, type PasswordGate } from '../engine/passthrough/throttle';
import { normalizeEmail } from '@shared/domain';
import { listenLoopback } from '../server/listen';
import { guardService } from '../server/guard-service';

/**
 * The demo pass-through endpoint: an organization's "own" authentication service, for the offline demo.
 * `POST|PUT|GET /login` takes the email and password as JSON (`email`/`password`, also `user`/`username`
 * and `pass`), URL-encoded form or query, XML (`<email>` and `<password>` anywhere), or Basic
 * credentials; 200 when they match a demo user's password (checked against the users table), 401
 * otherwise; throttled like every password check of SSO Desk (429 with Retry-After), under its own
 * `demo:` keys since it stands for another organization's service. `GET /forgot?email=` answers 200. It logs
 * nothing about a request's content.
 */
export async function startPassthroughDemo(
  db: Db,
  gate: () => PasswordGate,
  port = 0,
): Promise<{ server: Server; url: string }> {
  // Only SSO Desk's engine (no Origin, no Sec-Fetch-*) and tools on this machine call it, never a web page.
  const server = createServer(
    guardService((req, res) => {
      handle(db, gate(), req, res).catch(() => {
        if (!res.headersSent) send(res, 500, { ok: false, error: 'demo service failed' });
      });
    }),
  );
  const base = await listenLoopback(server, port, 'demo pass-through service');
  return { server, url: `${base}/login` };
}

const LIMIT = 16 * 1024;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

async function readText(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const XML_ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of the first `<name>` element, entities decoded: enough XML for a login body. */
function xmlField(xml: string, names: string[]): string | undefined {
  for (const name of names) {
    const m = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}\\s*>`).exec(xml);
    if (m)
      return (m[1] ?? '').replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ent: string) => {
        if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
        if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
        return XML_ENTITY[ent] ?? whole;
      });
  }
  return undefined;
}

const pick = (get: (k: string) => unknown, keys: string[]): string | undefined => {
  for (const k of keys) {
    const v = get(k);
    if (typeof v === 'string') return v;
  }
  return undefined;
};

const EMAIL_KEYS = ['email', 'user', 'username', 'login'];
const PASSWORD_KEYS = ['password', 'pass', 'pwd'];

async function credentials(
  req: IncomingMessage,
  url: URL,
): Promise<{ email?: string | undefined; password?: string | undefined } | null> {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const fromQuery = {
    email: pick((k) => url.searchParams.get(k) ?? undefined, EMAIL_KEYS),
    password: pick((k) => url.searchParams.get(k) ?? undefined, PASSWORD_KEYS),
  };
  if (req.method === 'GET') return fromQuery;
  const text = await readText(req);
  if (text === null) return null;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      return { email: pick((k) => body[k], EMAIL_KEYS), password: pick((k) => body[k], PASSWORD_KEYS) };
    } catch {
      return null;
    }
  }
  if (type.includes('x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    return {
      email: pick((k) => form.get(k) ?? undefined, EMAIL_KEYS),
      password: pick((k) => form.get(k) ?? undefined, PASSWORD_KEYS),
    };
  }
  if (type.includes('xml')) return { email: xmlField(text, EMAIL_KEYS), password: xmlField(text, PASSWORD_KEYS) };
  return fromQuery;
}

async function handle(db: Db, gate: PasswordGate, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/forgot') {
    if (req.method !== 'GET') return send(res, 405, { ok: false, error: 'use GET' });
    return send(res, 200, { ok: true, message: 'if this email is registered, instructions are on their way' });
  }
  if (url.pathname !== '/login') return send(res, 404, { ok: false, error: 'not found' });
  if (!['GET', 'POST', 'PUT'].includes(req.method ?? ''))
    return send(res, 405, { ok: false, error: 'use POST, PUT or GET' });
  const creds = await credentials(req, url);
  if (creds === null) return send(res, 400, { ok: false, error: 'unreadable body' });
  if (!creds.email || !creds.password) return send(res, 400, { ok: false, error: 'email and password are required' });
  const user = findUserByEmail(db, creds.email);
  const password = creds.password;
  const keys = attemptKeys({
    email: normalizeEmail(creds.email),
    peer: req.socket.remoteAddress ?? null,
    scope: 'demo',
  });
  // Its own `demo:` counts, and SSO Desk's lock on the email as well: a user locked out of
  // POST /auth/login is not let in by the right password here either.
  const checked = await gatedCheck(
    gate,
    keys,
    () => (user?.passwordHash ? verifyPassword(password, user.passwordHash) : verifyNothing(password)),
    normalizeEmail(creds.email),
  );
  if (checked.kind === 'refused') {
    return send(
      res,
      429,
      { ok: false, error: 'too many failed attempts', retryAfter: checked.retryAfterSeconds },
      { 'Retry-After': String(checked.retryAfterSeconds) },
    );
  }
  const ok = checked.ok;
  return ok
    ? send(res, 200, { ok: true, user: user!.email })
    : send(res, 401, { ok: false, error: 'invalid credentials' });
}
