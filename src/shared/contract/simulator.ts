import { z } from 'zod';
import { channel } from './channel';
import { Device } from './passthrough';
import { TraceStep } from '../trace';

export const SIM_METHODS = ['auto', 'password', 'sso'] as const;

/** What a support person replays: account (or any), email, optional password, method, device. */
export const SimRunInput = z.strictObject({
  email: z.string().trim().min(1, 'enter an email').max(254),
  password: z.string().max(1024).optional(),
  /** Absent: any of the email's accounts, as the user's own login would. */
  account: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an account id')
    .optional(),
  method: z.enum(SIM_METHODS).default('auto'),
  device: Device.default({}),
  /** SSO: make the IdP ask for the password again (prompt=login, max_age=1) instead of reusing its session. */
  freshLogin: z.boolean().default(false),
  /** Count a failed run against the customer's login protection, as a real failed login would (off: support's tries are free). */
  countAgainstCustomer: z.boolean().default(false),
});
export type SimRunInput = z.input<typeof SimRunInput>;

/** The input as kept with the run and in the audit: never the password. */
export const SimRunRecord = z.object({
  email: z.string(),
  account: z.string().optional(),
  method: z.enum(SIM_METHODS),
  device: Device,
  freshLogin: z.boolean().optional(),
  countAgainstCustomer: z.boolean().optional(),
});
export type SimRunRecord = z.infer<typeof SimRunRecord>;

const runId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected a run id');

export const SimRunView = z.object({
  runId: z.string(),
  title: z.string(),
  startedAt: z.number(),
  input: SimRunRecord,
  /** What ran: the password engine or an SSO flow (null until decided). */
  ran: z.enum(['password', 'sso']).nullable(),
  state: z.enum(['running', 'waiting', 'picking', 'done']),
  steps: z.array(TraceStep),
  /** While an SSO flow runs: what the console needs to open the IdP page, pick, or cancel. */
  sso: z
    .object({
      flowId: z.string(),
      authorizationUrl: z.string(),
      openedBy: z.enum(['system-browser', 'console']),
      accounts: z.array(z.object({ id: z.string(), name: z.string() })),
      /** While waiting: what an error page at the IdP usually means. */
      waitingHint: z.string().optional(),
    })
    .nullable(),
  outcome: z
    .object({
      ok: z.boolean(),
      /** ok = green, warn = amber (e.g. `other_user`: signed in, but not as the user typed), fail = red. */
      level: z.enum(['ok', 'warn', 'fail']),
      code: z.string().nullable(),
      /** The engine's own message. */
      message: z.string(),
      /** One sentence for the customer: why it failed (or that it worked). */
      sentence: z.string(),
      /** The accounts to choose from, when the engine asked for a choice. */
      accounts: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
      /** Login protection: failed attempts left before a lockout, when the engine counted this run. */
      attemptsLeft: z.number().int().nullable().optional(),
    })
    .nullable(),
  durationMs: z.number().nullable(),
  saved: z.number().int().nullable(),
  /** The account the run settled on (chosen, picked or the only one), once known. */
  accountId: z.string().nullable(),
});
export type SimRunView = z.infer<typeof SimRunView>;

export const simulatorChannels = {
  device: channel(
    z.void(),
    z.object({ os: z.string(), name: z.string(), ip: z.string() }),
    'This machine as a device: OS type, host name, a local IP (the Simulator’s defaults).',
  ),
  run: {
    start: channel(
      SimRunInput,
      SimRunView,
      'Start a simulated login through the real engine; the policy chooses the method when it is auto.',
    ),
    status: channel(
      z.strictObject({ runId }),
      SimRunView,
      'A run’s steps so far and, once finished, its outcome and sentence (poll).',
    ),
    idToken: channel(
      z.strictObject({ runId }),
      z.object({ token: z.string() }),
      'The ID token a successful SSO run received, for the Inspector (never stored in a trace or the audit).',
    ),
    logout: channel(
      z.strictObject({ runId }),
      z.object({
        ended: z.boolean(),
        endSessionUrl: z.string().nullable(),
        openedBy: z.enum(['system-browser', 'console']).nullable(),
      }),
      'End the SSO session a successful run opened and, where the IdP has end_session_endpoint, start RP-initiated logout.',
    ),
  },
  save: channel(
    z.strictObject({ runId }),
    z.object({ auditId: z.number().int() }),
    'Save a finished run to the audit log (kind simulation.run): the input without the password, the redacted steps.',
  ),
};
