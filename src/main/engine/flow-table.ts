import { DeskError, notFound } from '@shared/errors';
import type { FlowStatus } from '@shared/contract/oidc';
import type { Trace } from './trace';

/** What OIDC's and SAML's sign-in flows share for bookkeeping: identity, state and the account picker. */
export interface TrackedFlow {
  id: string;
  state: string;
  finishedAt: number | null;
  offered: { id: string; name: string }[];
}

/** What a flow of either protocol shows in its status. */
interface ShownFlow extends TrackedFlow {
  state: FlowStatus['state'];
  email: string;
  startedAt: number;
  expiresAt: number;
  trace: Trace;
  session: FlowStatus['session'];
  error: FlowStatus['error'];
  asserted: string | null;
}

/** A flow's status as `sso.signin.status` answers it, for OIDC and SAML alike. */
export function statusOf(f: ShownFlow, issuer: string, waitingHint: string | null): FlowStatus {
  return {
    flowId: f.id,
    state: f.state,
    email: f.email,
    issuer,
    startedAt: f.startedAt,
    expiresAt: f.expiresAt,
    steps: [...f.trace.steps],
    accounts: f.state === 'picking' ? f.offered : [],
    session: f.session,
    error: f.error,
    waitingHint: f.state === 'waiting' ? waitingHint : null,
    assertedEmail: f.asserted,
  };
}

/**
 * The sign-in flows of one protocol in memory. A finished flow is kept a while so its trace can still be
 * read (the Simulator, Test sign-in), then forgotten. Housekeeping runs on real time: a test moving the
 * engine clock must not make traces vanish.
 */
export class FlowTable<F extends TrackedFlow> extends Map<string, F> {
  constructor(private readonly keepFinishedMs: number) {
    super();
  }

  /** @throws DeskError `not_found` for an unknown or forgotten flow. */
  find(flowId: string): F {
    const now = Date.now();
    for (const [id, f] of this) if (f.finishedAt !== null && now - f.finishedAt > this.keepFinishedMs) this.delete(id);
    const flow = this.get(flowId);
    if (!flow) throw notFound('no such sign-in flow (finished flows are forgotten after a while)');
    return flow;
  }
}

/**
 * The account picker's answer, checked: only a flow waiting on the picker, only an offered account (the
 * IdP proved who the user is; the picker only chooses among accounts that allow that IdP).
 * @returns the chosen account's name. @throws DeskError `not_picking` | `invalid_input` (field `account`).
 */
export function checkPick(flow: TrackedFlow, accountId: string): string {
  if (flow.state !== 'picking')
    throw new DeskError(
      'not_picking',
      `this sign-in is ${flow.state.replace('_', ' ')}, not waiting for an account choice`,
      { status: 409 },
    );
  const chosen = flow.offered.find((a) => a.id === accountId);
  if (!chosen)
    throw new DeskError(
      'invalid_input',
      `account: ${accountId} is not one of the accounts offered (${flow.offered.map((a) => a.id).join(', ')})`,
      { field: 'account' },
    );
  return chosen.name;
}
