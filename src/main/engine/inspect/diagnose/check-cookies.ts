import type { Finding } from '@shared/contract/diagnose';
import { finding, headerOf, type Check } from './model';

interface SetCookie {
  name: string;
  host: string;
  path: string;
  sameSite: string;
  index: number;
}

function hostPath(url: string): { host: string; path: string } | null {
  try {
    const u = new URL(url);
    return { host: u.hostname, path: u.pathname };
  } catch {
    return null;
  }
}

/**
 * `cookies_blocked`: a response set a cookie, and a later step of the sign-in to the same host and path
 * came without it (RFC 6265 §5.4 would send it): the browser blocked or dropped it, most often a
 * third-party or SameSite rule (a cross-site POST callback drops SameSite=Lax cookies).
 */
export const checkCookies: Check = (ctx) => {
  const set: SetCookie[] = [];
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const [index, ex] of ctx.exchanges.entries()) {
    const raw = ex.raw;
    if (!raw) continue;
    const target = hostPath(raw.url);
    if (target && ['callback', 'login', 'saml_response', 'authorize', 'token'].includes(ex.kind)) {
      const sent = headerOf(raw.requestHeaders, 'cookie') ?? '';
      const names = new Set(sent.split(';').map((p) => p.split('=')[0]!.trim()));
      // Only a capture that records request cookies at all can say one is missing.
      const recordsCookies = raw.requestHeaders.some(([n]) => n.toLowerCase() === 'cookie') || set.length > 0;
      for (const c of set) {
        if (!recordsCookies || c.host !== target.host || !target.path.startsWith(c.path) || names.has(c.name)) continue;
        if (reported.has(c.name)) continue;
        reported.add(c.name);
        out.push(
          finding(
            'cookies_blocked',
            'error',
            { step: ex.step, index },
            `The ${ex.step} request to ${c.host} came without the cookie "${c.name}" that step ` +
              `${c.index + 1} set${c.sameSite ? ` (SameSite=${c.sameSite})` : ''}: the browser blocked or dropped it.`,
            c.sameSite.toLowerCase() === 'none' || !c.sameSite
              ? 'Allow cookies for the IdP’s and the app’s sites in the browser (third-party cookie ' +
                  'blocking, a privacy extension or private mode drop them).'
              : `A cross-site POST drops SameSite=${c.sameSite} cookies: the server must set SameSite=None; ` +
                  `Secure, or the user must allow cookies for the site.`,
          ),
        );
      }
    }
    const origin = hostPath(raw.url);
    if (!origin) continue;
    for (const [n, v] of raw.responseHeaders) {
      if (n.toLowerCase() !== 'set-cookie') continue;
      for (const line of v.split('\n')) {
        const [pair, ...attrs] = line.split(';');
        const name = pair?.split('=')[0]?.trim();
        const value = pair?.slice(pair.indexOf('=') + 1).trim();
        if (!name) continue;
        const attr = (k: string) =>
          attrs
            .map((a) => a.trim())
            .find((a) => a.toLowerCase().startsWith(`${k}=`))
            ?.split('=')[1] ?? '';
        const expired =
          !value ||
          /max-age=0\b/i.test(line) ||
          (attr('expires') && Date.parse(attr('expires')) < (raw.startedMs ?? Date.now()));
        const idx = set.findIndex((c) => c.name === name && c.host === origin.host);
        if (idx !== -1) set.splice(idx, 1);
        if (!expired)
          set.push({
            name,
            host: (attr('domain') || origin.host).replace(/^\./, ''),
            path: attr('path') || '/',
            sameSite: attr('samesite'),
            index,
          });
      }
    }
  }
  return out;
};
