import { z } from 'zod';
import { channel } from './channel';
import { AUTH_TYPES, DATA_AS, HTTP_ACTIONS, PLACEHOLDERS } from '../domain';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../placeholders';
import { TraceStep } from '../trace';
import { hasControl } from '../well-formed';

/** An email as a login form sends it: one line, no control characters (they would forge log lines). */
const LoginEmail = z
  .string()
  .trim()
  .min(1, 'enter an email')
  .max(254)
  .refine((s) => !hasControl(s), 'an email has no control characters (CR, LF, NUL…)');

/** The External user authentication form of one account, as the console edits it. */
export const PassthroughForm = z.strictObject({
  enabled: z.boolean(),
  url: z.string().max(2048),
  method: z.enum(HTTP_ACTIONS),
  dataAs: z.enum(DATA_AS),
  authType: z.enum(AUTH_TYPES),
  /** `secret`: the value is a credential (an integration's API key): masked wherever the password is. */
  headers: z
    .array(
      z.strictObject({ name: z.string().max(256), value: z.string().max(4096), secret: z.boolean().default(false) }),
    )
    .max(32),
  body: z.string().max(65_536),
  /** Empty: no Forgot-password URL. */
  forgotPasswordUrl: z.string().max(2048),
  timeoutMs: z.number().int().min(100).max(MAX_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
});
export type PassthroughForm = z.infer<typeof PassthroughForm>;

export const PassthroughView = z.object({
  account: z.string(),
  accountName: z.string(),
  /** null until the account's integration has been saved once. */
  config: PassthroughForm.nullable(),
  updatedAt: z.number().nullable(),
  /** What the saved settings do that is risky (plain http:// to another host, the password in the URL). */
  warnings: z.array(z.string()).default([]),
  placeholders: z.array(z.object({ name: z.enum(PLACEHOLDERS), token: z.string(), description: z.string() })),
});
export type PassthroughView = z.infer<typeof PassthroughView>;

/** The device a login comes from; every field may be absent. */
export const Device = z.strictObject({
  os: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  ip: z.string().max(64).optional(),
});

/** `POST /auth/login` and the Simulator's "Password login" take the same request. */
export const LoginRequest = z.strictObject({
  email: LoginEmail,
  password: z.string().min(1, 'enter a password').max(1024),
  account: z.string().max(64).optional(),
  device: Device.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** The Simulator's password login: the same request, and whether this run counts against the customer. */
export const SimulatedLoginRequest = LoginRequest.extend({
  /** Count this run like the customer's own attempt (default: read the throttle only, count nothing). */
  countAgainstCustomer: z.boolean().optional(),
});

export const ForgotRequest = z.strictObject({
  email: LoginEmail,
  account: z.string().max(64).optional(),
});

export const ResetRequest = z.strictObject({
  token: z.string().min(1).max(256),
  password: z.string().min(8, 'a new password has at least 8 characters').max(1024),
});

// The trace shape is shared with the other engines, the HAR export and the audit (src/shared/trace.ts).
export { TraceHttp, TraceStep } from '../trace';

export const LoginOutcome = z.enum([
  'authenticated',
  'failed',
  'choose_account',
  'sso_required',
  'not_registered',
  'throttled',
  'refused',
]);

export const AccountChoice = z.object({
  id: z.string(),
  name: z.string(),
  method: z.enum(['sso', 'passthrough', 'password']),
});

export const SimulatedLogin = z.object({
  outcome: LoginOutcome,
  /** The HTTP status `POST /auth/login` would answer. */
  status: z.number().int(),
  code: z.string().nullable(),
  message: z.string(),
  accounts: z.array(AccountChoice).optional(),
  user: z.object({ email: z.string(), name: z.string() }).optional(),
  account: z.object({ id: z.string(), name: z.string() }).optional(),
  method: z.string().optional(),
  retryAfterSeconds: z.number().int().optional(),
  /** Failed attempts the email has left before it is locked (after this one, when it counted). */
  attemptsLeft: z.number().int().nullable().optional(),
  trace: z.array(TraceStep),
});
export type SimulatedLogin = z.infer<typeof SimulatedLogin>;

export const OutboxMessage = z.object({ at: z.number(), to: z.string(), subject: z.string(), text: z.string() });

export const passthroughChannels = {
  get: channel(
    z.strictObject({ account: z.string().min(1).max(64) }),
    PassthroughView,
    'An account’s External user authentication settings.',
  ),
  save: channel(
    z.strictObject({
      account: z.string().min(1).max(64),
      config: PassthroughForm,
      /** The admin confirms a risky URL (plain http:// to a non-loopback host, {{USERPASSWORD}} in the query). */
      confirmInsecure: z.boolean().optional(),
    }),
    PassthroughView,
    'Validate and save an account’s External user authentication; a bad field is named ' +
      'and nothing is saved. A risky URL needs confirmInsecure.',
  ),
};

export const passwordSimulateChannels = {
  passwordLogin: channel(
    SimulatedLoginRequest,
    SimulatedLogin,
    'Runs a password login through the same engine as POST /auth/login; returns the redacted ' +
      'trace. Counts against the customer only with countAgainstCustomer.',
  ),
  forgotPassword: channel(
    ForgotRequest.extend({ countAgainstCustomer: z.boolean().optional() }),
    z.object({ status: z.number().int(), code: z.string().nullable(), message: z.string(), trace: z.array(TraceStep) }),
    'Runs a forgot-password request through the same engine as POST /auth/password/forgot.',
  ),
  outbox: channel(
    z.void(),
    z.array(OutboxMessage),
    'Messages the local password-reset flow has sent (the offline mailbox).',
  ),
};
