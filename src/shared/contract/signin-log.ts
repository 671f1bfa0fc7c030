import { z } from 'zod';
import { channel } from './channel';
import { TraceStep } from '../trace';
import { SimRunRecord } from './simulator';

export const SigninFilter = z.strictObject({
  /** The user's email (case-insensitive, exact). */
  email: z.string().trim().max(254).optional(),
  accountId: z.string().max(64).optional(),
  /** A stored method: 'password', 'passthrough', 'sso', 'saml', 'platform-sso' (open to methods added later). */
  method: z.string().max(64).optional(),
  result: z.enum(['success', 'failure']).optional(),
  /** true: only the Simulator's runs; false: leave them out; absent: both. */
  simulator: z.boolean().optional(),
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
});
export type SigninFilter = z.infer<typeof SigninFilter>;

/** One sign-in attempt, in words. */
export const SigninRow = z.object({
  id: z.number().int(),
  at: z.number().int(),
  email: z.string().nullable(),
  accountId: z.string().nullable(),
  accountName: z.string().nullable(),
  /** As stored ('sso', 'passthrough'…) and as read ('SSO (OpenID Connect)'). */
  method: z.string().nullable(),
  methodLabel: z.string(),
  /** Who vouched for the user: the IdP's issuer, the external service's host, 'SSO Desk' for a password. */
  idp: z.string().nullable(),
  result: z.enum(['success', 'failure']),
  /** The reason in words. */
  reason: z.string().nullable(),
  /** The IdP's error code (AADSTS50105, access_denied), else SSO Desk's own (not_registered). */
  errorCode: z.string().nullable(),
  /** The IdP's trace or correlation ID when it sent one, else SSO Desk's id of the attempt. */
  correlationId: z.string(),
  /** Made by support's Simulator, not by the user. */
  simulator: z.boolean(),
  runId: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type SigninRow = z.infer<typeof SigninRow>;

export const signinChannels = {
  list: channel(
    z.strictObject({
      filter: SigninFilter.default({}),
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ rows: z.array(SigninRow), nextBefore: z.number().int().nullable() }),
    'One page of sign-in attempts, newest first, keyset-paged.',
  ),
  get: channel(
    z.strictObject({ id: z.number().int().positive() }),
    SigninRow.extend({
      /** The redacted steps of the attempt, as the Simulator shows them. */
      steps: z.array(TraceStep),
      /** The Simulator input that replays this attempt (never a password), or null when it cannot be replayed. */
      rerun: SimRunRecord.nullable(),
    }),
    'One sign-in attempt with its steps and how to replay it in the Simulator.',
  ),
  facets: channel(
    z.void(),
    z.object({
      methods: z.array(z.object({ id: z.string(), label: z.string() })),
      accounts: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
    'The methods and accounts that have sign-ins, for the filters.',
  ),
};
