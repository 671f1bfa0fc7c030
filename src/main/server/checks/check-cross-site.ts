import type { IncomingMessage } from 'node:http';
import type { Refusal } from './refusal';

/**
 * Any web page can make the browser send a "simple" request to a loopback address without asking
 * first: a form POST, a `text/plain` fetch, an `<img>` (Fetch standard, CORS-safelisted requests).
 * Browsers label such requests: `Origin` on every cross-origin request but a GET navigation, and
 * `Sec-Fetch-Site` on every request (W3C Fetch Metadata). A request with a foreign `Origin`, or whose
 * `Sec-Fetch-Site` is not `same-origin`/`none`, is refused before it is read. The one exception is a
 * GET that navigates to a page meant to be opened from a link (`navigable`): a deep link clicked in
 * a mail or a chat arrives cross-site, as a top-level or frame navigation.
 */
export function checkCrossSite(req: IncomingMessage, ownOrigins: readonly string[], navigable: boolean): Refusal | null {
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (navigable && get && req.headers['sec-fetch-mode'] === 'navigate') return null;
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins.includes(origin.toLowerCase()))
    return { status: 403, code: 'cross_site', message: `requests from ${origin} are refused: only this service's own pages may call it` };
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return { status: 403, code: 'cross_site', message: `a ${site} request is refused: only this service's own pages may call it` };
  return null;
}
