import { z } from 'zod';
import { channel } from './channel';

const MINUTE = 60_000;

/** Login throttling's numbers (per email and per peer address), each a setting with sane bounds. */
export const ThrottleNumbers = z
  .strictObject({
    freeFailures: z.number().int().min(0).max(100),
    delayMs: z.number().int().min(0).max(60_000),
    maxDelayMs: z
      .number()
      .int()
      .min(0)
      .max(10 * MINUTE),
    lockAfter: z.number().int().min(1).max(1000),
    lockMs: z
      .number()
      .int()
      .min(1000)
      .max(24 * 60 * MINUTE),
    windowMs: z
      .number()
      .int()
      .min(1000)
      .max(24 * 60 * MINUTE),
    maxKeys: z.number().int().min(100).max(1_000_000),
  })
  .refine((t) => t.maxDelayMs >= t.delayMs, { path: ['maxDelayMs'], message: 'must be at least the first delay' })
  .refine((t) => t.lockAfter > t.freeFailures, {
    path: ['lockAfter'],
    message: 'must be more than the failures allowed before slowing down',
  });
export type ThrottleNumbers = z.infer<typeof ThrottleNumbers>;

/** One counted key: an email, an email in an account, a client address, or all local callers together. */
export const ThrottleEntry = z.object({
  key: z.string(),
  /** Which check counts it: login (and the IdP form), forgot-password, reset, the demo pass-through service. */
  scope: z.enum(['login', 'forgot', 'reset', 'demo']),
  kind: z.enum(['email', 'account', 'address', 'loopback']),
  /** The email, `email in account`, the address, or "all local callers". */
  subject: z.string(),
  failures: z.number().int(),
  inflight: z.number().int(),
  lastAt: z.number(),
  /** When the lock ends; null when the key is only counted or slowed. */
  lockedUntil: z.number().nullable(),
});
export type ThrottleEntry = z.infer<typeof ThrottleEntry>;

export const loginProtectionChannels = {
  get: channel(z.void(), ThrottleNumbers, 'The numbers of login throttling in force.'),
  set: channel(
    ThrottleNumbers,
    ThrottleNumbers,
    'Change login throttling; applies at once, counted failures are kept.',
  ),
  lockouts: channel(
    z.void(),
    z.array(ThrottleEntry),
    'What login throttling counts now: lockouts first, then failures being counted.',
  ),
  clear: channel(
    z.strictObject({ key: z.string().min(1).max(600) }),
    z.object({ cleared: z.boolean() }),
    'Clear one lockout or count (audited as auth.unlock); attempts already running still finish.',
  ),
};
