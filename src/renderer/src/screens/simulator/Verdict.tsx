import type { SimRunView } from '@shared/contract/simulator';

export type Tone = 'good' | 'warn' | 'bad' | 'busy';

/** Outcomes that are not a failure of the login but a question: which account, or which user. */
const NEEDS_CHOICE = new Set(['choose_account']);
const NEEDS_OTHER_USER = new Set(['not_registered', 'idp_email_unknown', 'not_a_member', 'no_account']);

/** The verdict of a run: green signed in, amber needs a choice or another user, red failed. */
export function verdictOf(run: SimRunView): { tone: Tone; head: string } {
  if (run.state === 'picking') return { tone: 'warn', head: 'Needs a choice' };
  if (run.state === 'waiting') return { tone: 'busy', head: 'Waiting for the identity provider' };
  if (!run.outcome) return { tone: 'busy', head: 'Running' };
  if (run.outcome.ok) return { tone: 'good', head: 'Signed in' };
  const code = run.outcome.code ?? '';
  if (NEEDS_CHOICE.has(code)) return { tone: 'warn', head: 'Needs a choice' };
  if (NEEDS_OTHER_USER.has(code)) return { tone: 'warn', head: 'Needs another user' };
  // No password typed is a question to the person at the form, not a failed login.
  if (code === 'missing_password') return { tone: 'warn', head: 'Needs a password' };
  return { tone: 'bad', head: 'Failed' };
}

/** The step that decided the run: the last failed step, else the last passed one, else the last. */
export function decidingStep(run: SimRunView): number {
  const steps = run.steps;
  const want = run.outcome?.ok ? 'ok' : run.outcome ? 'fail' : null;
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.outcome === want) return i;
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.outcome === 'warn') return i;
  return steps.length - 1;
}
