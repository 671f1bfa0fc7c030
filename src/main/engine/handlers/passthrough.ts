import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { listOutbox } from '../../store/auth-outbox';
import { getPassthroughView, savePassthrough } from '../passthrough/config';
import { passwordLogin } from '../passthrough/login';
import { forgotPassword } from '../passthrough/forgot';
import { authService, THROTTLE_SETTING } from '../passthrough/service';
import { describeKey } from '../passthrough/throttle';
import { putSetting } from '../../store/settings';
import { describeChanges, diffSettings } from '../audit/settings-diff';

type Names =
  | 'sso.passthrough.get'
  | 'sso.passthrough.save'
  | 'simulate.passwordLogin'
  | 'simulate.forgotPassword'
  | 'simulate.outbox'
  | 'auth.throttle.get'
  | 'auth.throttle.set'
  | 'auth.throttle.lockouts'
  | 'auth.throttle.clear';

/** External user authentication settings, and the Simulator's password login over the same engine. */
export function passthroughHandlers(ctx: EngineContext): Pick<Handlers, Names> {
  const { db } = ctx.store;
  return {
    'sso.passthrough.get': (input) => getPassthroughView(db, input.account),
    'sso.passthrough.save': (input) =>
      savePassthrough(db, input.account, input.config, {
        now: ctx.clock.now(),
        actor: 'console',
        confirmInsecure: input.confirmInsecure,
      }),
    'simulate.passwordLogin': async (input) => {
      // The session token stays with the engine: the console shows who signed in, never the token.
      const { countAgainstCustomer, ...req } = input;
      const {
        session: _session,
        sso: _sso,
        ...shown
      } = await passwordLogin(authService(ctx), req, { peer: null, actor: 'simulator', countAgainstCustomer });
      return shown;
    },
    'simulate.forgotPassword': async (input) => {
      const { countAgainstCustomer, ...req } = input;
      const { accounts: _accounts, ...shown } = await forgotPassword(authService(ctx), req, {
        peer: null,
        actor: 'simulator',
        countAgainstCustomer,
      });
      return shown;
    },
    'auth.throttle.get': () => ({ ...authService(ctx).throttle.settings }),
    'auth.throttle.set': (input) => {
      const throttle = authService(ctx).throttle;
      const changes = diffSettings('auth.throttle', { ...throttle.settings }, input, {
        plain: Object.keys(input) as Array<keyof typeof input>,
      });
      db.transaction(() => {
        putSetting(db, THROTTLE_SETTING, input);
        ctx.audit({
          kind: 'settings.change',
          actor: 'console',
          method: 'password',
          outcome: 'ok',
          reason: `login throttling: ${describeChanges(changes) || 'saved unchanged'}`,
          detail: { changes },
        });
      })();
      throttle.configure(input);
      return { ...throttle.settings };
    },
    'auth.throttle.lockouts': () =>
      authService(ctx)
        .throttle.list()
        .map((e) => ({ ...e, ...describeKey(e.key) })),
    'auth.throttle.clear': ({ key }) => {
      const throttle = authService(ctx).throttle;
      const cleared = throttle.clear(key);
      const { scope, kind, subject } = describeKey(key);
      const email = kind === 'email' ? subject : kind === 'account' ? subject.split(' in ')[0]! : null;
      ctx.audit({
        kind: 'auth.unlock',
        actor: 'console',
        email,
        method: 'password',
        outcome: cleared ? 'ok' : 'unchanged',
        reason: `${cleared ? 'cleared' : 'nothing to clear for'} the ${scope} count of ${subject}`,
        detail: { key },
      });
      return { cleared };
    },
    'simulate.outbox': () =>
      listOutbox(db, 20).map((m) => ({
        at: m.at,
        to: m.toEmail,
        subject: m.subject,
        text: ctx.platform.secrets.decrypt(m.textEnc),
      })),
  };
}
