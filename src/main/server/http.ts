import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeskError } from '@shared/errors';
import { describeIllFormed, findIllFormed } from '@shared/well-formed';

/** Security headers every loopback response carries. */
export function baseHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  baseHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The stable error shape of every JSON endpoint: `{"error": {"code", "message"}}`. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  baseHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ...headers,
  });
  res.end(html);
}

export interface BodyOptions {
  /** The status of a body over the limit: 413 by default; the Platform API answers 400 as its spec says. */
  tooLargeStatus?: number;
}

/**
 * Reads a request body up to `limit` bytes. Past the limit the rest is read and dropped (up to 64
 * times the limit, then the connection is cut), so that the client gets the answer rather than a reset.
 * @throws DeskError `body_too_large` (413, or `tooLargeStatus`) past the limit.
 */
export function readBody(req: IncomingMessage, limit: number, opts: BodyOptions = {}): Promise<Buffer> {
  const tooLarge = () =>
    new DeskError(
      'body_too_large',
      `the request body is over ${limit >= 1024 ? `${limit / 1024} KiB` : `${limit} bytes`}`,
      {
        status: opts.tooLargeStatus ?? 413,
      },
    );
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length'] ?? '0') > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (size > 64 * limit) {
        req.destroy();
        reject(tooLarge());
      }
      if (!over) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
  });
}

/**
 * Reads and parses a JSON body (`emptyIsNothing`: an empty body reads as `undefined`).
 * @throws DeskError `invalid_json` (400) for a body that is not JSON.
 */
export async function readJson(
  req: IncomingMessage,
  limit: number,
  opts: BodyOptions & { emptyIsNothing?: boolean } = {},
): Promise<unknown> {
  const text = (await readBody(req, limit, opts)).toString('utf8');
  if (text.trim() === '') {
    // A contract channel without input may be called with an empty body.
    if (opts.emptyIsNothing) return undefined;
    throw new DeskError('invalid_json', 'the request body is empty; send a JSON object', { status: 400 });
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new DeskError('invalid_json', 'the request body is not valid JSON', { status: 400 });
  }
  // Every JSON endpoint refuses by name what no field may hold: endless nesting, lone surrogates.
  const ill = findIllFormed(value);
  if (ill)
    throw new DeskError('invalid_input', describeIllFormed(ill), {
      status: 400,
      ...(ill.field ? { field: ill.field } : {}),
    });
  return value;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
