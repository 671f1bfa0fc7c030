import type { Finding } from '@shared/contract/diagnose';
import { finding, ofKind, type Check } from './model';
import { authorizeBefore } from './id-tokens';

/**
 * `state_mismatch`: the callback's state is not the one the authorize request sent (RFC 6749 §10.12:
 * the client must refuse it, it is how cross-site request forgery is caught).
 */
export const checkState: Check = (ctx) => {
  const out: Finding[] = [];
  for (const cb of ofKind(ctx, 'callback')) {
    const authorize = authorizeBefore(ctx, cb.index);
    if (!authorize) continue;
    const sent = authorize.params.get('state');
    const back = cb.params.get('state');
    if (sent === undefined || back === sent) continue;
    out.push(
      finding(
        'state_mismatch',
        'error',
        cb,
        back === undefined
          ? `The callback carries no state, although the authorize request sent one.`
          : `The callback's state is not the one the authorize request sent: the app must refuse it (RFC 6749 §10.12).`,
        'Start the sign-in again in one tab only; an old or second tab, a bookmarked IdP page or a proxy that rewrites URLs causes this.',
      ),
    );
  }
  return out;
};
