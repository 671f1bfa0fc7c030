import { z } from 'zod';
import { channel } from './channel';

const MINUTE = 60_000;

/** Login throttling's numbers (per email and per peer address), each a setting with sane bounds. */
export const ThrottleNumbers = z
  .strictObject({
    freeFailures: z.number().int().min(0).max(100),
    delayMs: z.number().int().min(0).max(60_000),
    maxDelayMs: z.number().int().min(0).max(10 * MINUTE),
    lockAfter: z.number().int().min(1).max(1000),
    lockMs: z.number().int().min(1000).max(24 * 60 * MINUTE),
    windowMs: z.number().int().min(1000).max(24 * 60 * MINUTE),
    maxKeys: z.number().int().min(100).max(1_000_000),
  })
  .refine((t) => t.maxDelayMs >= t.delayMs, { path: ['maxDelayMs'], message: 'must be at least the first delay' })
  .refine((t) => t.lockAfter > t.freeFailures, { path: ['lockAfter'], message: 'must be more than the failures allowed before slowing down' });
export type ThrottleNumbers = z.infer<typeof ThrottleNumbers>;

export const loginProtectionChannels = {
  get: channel(z.void(), ThrottleNumbers, 'The numbers of login throttling in force.'),
  set: channel(ThrottleNumbers, ThrottleNumbers, 'Change login throttling; applies at once, counted failures are kept.'),
};
