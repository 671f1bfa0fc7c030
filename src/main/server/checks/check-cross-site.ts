import type { IncomingMessage } from 'node:http';
import type { Refusal } from '../../engine/network/refusal';

/**
 * Any web page can make the browser send a "simple" request to a loopback address without asking
 * first: a form POST, a `text/plain` fetch, an `<img>` (Fetch standard, CORS-safelisted requests).
 * Browsers label such requests. `Sec-Fetch-Site` (W3C Fetch Metadata) is set by the browser alone and
 * says it best: anything but `same-origin` or `none` (typed, bookmarked) is refused. Where it is absent
 * (an older browser) `Origin` decides: a foreign one, or `null`, is refused. `Origin` alone is not
 * enough, as a page's own form sends `Origin: null` under `Referrer-Policy: no-referrer`.
 * The one exception is a GET that navigates to a page meant to be opened from a link (`navigable`):
 * a deep link clicked in a mail or a chat arrives cross-site, as a top-level or frame navigation.
 */
export function checkCrossSite(
  req: IncomingMessage,
  ownOrigins: readonly string[],
  navigable: boolean,
): Refusal | null {
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (navigable && get && req.headers['sec-fetch-mode'] === 'navigate') return null;
  const refuse = (what: string): Refusal => ({
    status: 403,
    code: 'cross_site',
    message: `${what} is refused: only this service's own pages may call it`,
  });
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none' ? null : refuse(`a ${site} request`);
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins.includes(origin.toLowerCase())) return refuse(`a request from ${origin}`);
  return null;
}
