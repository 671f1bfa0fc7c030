/** Audit outcomes that mean "it worked"; everything else is shown as a failure or refusal. */
const GOOD = new Set([
  'ok',
  'success',
  'authenticated',
  'signed_in',
  'issued',
  'redeemed',
  'sent',
  'verified',
  'logged_out',
  'saved',
]);

export const isGoodOutcome = (outcome: string): boolean => GOOD.has(outcome);
