import type { Plan } from './domain';

/** Whether an account may switch a Platform SSO option on, and if not, why (shown next to the switch). */
export interface Gate {
  allowed: boolean;
  reason: string;
}

const PLAN_LABEL: Record<Plan, string> = { free: 'Free', pro: 'Pro', enterprise: 'Enterprise' };

/**
 * Plan gating of Platform SSO, decided here once for the engine and the console:
 * - the SSO Login package (what `POST /authorization/sso` checks) needs a paid plan: Pro or Enterprise;
 * - embeddable pages (deep-link pages without the header, allowed inside a frame) need Pro or
 *   Enterprise too, and only make sense with SSO Login, since only SSO links open them.
 * Switching an option off is always allowed.
 */
export function ssoLoginGate(plan: Plan): Gate {
  return plan === 'free'
    ? {
        allowed: false,
        reason: `The SSO Login package needs the Pro or Enterprise plan; this account is on ${PLAN_LABEL[plan]}.`,
      }
    : { allowed: true, reason: `Included with the ${PLAN_LABEL[plan]} plan.` };
}

export function embeddableGate(plan: Plan, hasSsoLogin: boolean): Gate {
  if (plan === 'free')
    return {
      allowed: false,
      reason: `Embeddable pages need the Pro or Enterprise plan; this account is on ${PLAN_LABEL[plan]}.`,
    };
  if (!hasSsoLogin)
    return {
      allowed: false,
      reason: 'Embeddable pages are opened by Platform SSO links: switch on the SSO Login package first.',
    };
  return { allowed: true, reason: `Included with the ${PLAN_LABEL[plan]} plan.` };
}
