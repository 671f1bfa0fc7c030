import type { Finding } from '@shared/contract/diagnose';
import { finding, type Check } from './model';

const LIMIT = 3;

function key(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * `loop`: the same redirect (from one address to another, parameters aside) more than three times:
 * the app and the IdP keep sending the browser to each other, so the sign-in never ends.
 */
export const checkLoop: Check = (ctx) => {
  const seen = new Map<string, { count: number; index: number; step: string }>();
  for (const [index, ex] of ctx.exchanges.entries()) {
    const raw = ex.raw;
    if (!raw || raw.status < 300 || raw.status >= 400) continue;
    const location = raw.redirectURL || raw.responseHeaders.find(([n]) => n.toLowerCase() === 'location')?.[1];
    if (!location) continue;
    let to: string;
    try {
      to = new URL(location, raw.url).href;
    } catch {
      continue;
    }
    const k = `${key(raw.url)} → ${key(to)}`;
    const s = seen.get(k) ?? { count: 0, index, step: ex.step };
    s.count++;
    seen.set(k, s);
  }
  const out: Finding[] = [];
  for (const [k, s] of seen)
    if (s.count > LIMIT)
      out.push(
        finding(
          'loop',
          'error',
          { step: s.step, index: s.index },
          `The same redirect happened ${s.count} times (${k}): the app and the IdP send the browser back and forth.`,
          'The app does not keep the session the IdP gave it: check that its cookies are allowed ' +
            'and that the app’s and the IdP’s clocks agree; then sign in again.',
        ),
      );
  return out;
};
