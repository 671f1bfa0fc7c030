import { z } from 'zod';
import { channel } from './channel';

export const AuditFilter = z.strictObject({
  text: z.string().max(200).optional(),
  accountId: z.string().max(64).optional(),
  method: z.string().max(64).optional(),
  outcome: z.string().max(64).optional(),
  /** Who acted: 'simulator', 'console', 'Platform API', 'api <peer>'… */
  actor: z.string().max(254).optional(),
  /** Leave out what the Simulator did: its saved runs and the logins they caused. */
  hideSimulator: z.boolean().optional(),
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditRow = z.object({
  id: z.number().int(),
  at: z.number().int(),
  kind: z.string(),
  accountId: z.string().nullable(),
  email: z.string().nullable(),
  actor: z.string().nullable(),
  method: z.string().nullable(),
  outcome: z.string(),
  reason: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** The account's name (null when the event names no account or the account is gone). */
  accountName: z.string().nullable(),
  /** The Simulator run that caused this event, if any. */
  runId: z.string().nullable(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const Delivery = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('saved'), path: z.string() }),
  z.object({ kind: z.literal('download'), url: z.string(), name: z.string() }),
  z.object({ kind: z.literal('cancelled') }),
]);
export type Delivery = z.infer<typeof Delivery>;

export const auditChannels = {
  list: channel(
    z.strictObject({
      filter: AuditFilter.default({}),
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ events: z.array(AuditRow), nextBefore: z.number().int().nullable() }),
    'One page of audit events, newest first, keyset-paged.',
  ),
  get: channel(
    z.strictObject({ id: z.number().int().positive() }),
    AuditRow.extend({
      detail: z.unknown(),
      /** The other events of the same Simulator run: the logins a saved run caused, or the saved run of a login. */
      related: z.array(AuditRow),
    }),
    'One audit event with its (redacted) detail and trace, and the events of the same Simulator run.',
  ),
  facets: channel(
    z.void(),
    z.object({
      methods: z.array(z.string()),
      outcomes: z.array(z.string()),
      accounts: z.array(z.object({ id: z.string(), name: z.string() })),
      actors: z.array(z.string()),
    }),
    'Values to filter by (accounts with their names).',
  ),
  export: channel(
    z.strictObject({ filter: AuditFilter.default({}) }),
    z.object({ rows: z.number().int(), delivery: Delivery }),
    'The filtered events as CSV: saved through a dialog (desktop) or offered as a one-time download (browser host).',
  ),
  retention: {
    get: channel(
      z.void(),
      z.object({ days: z.number().int().nullable(), lastRunAt: z.number().nullable(), lastDeleted: z.number().int() }),
      'How long audit events are kept.',
    ),
    set: channel(
      z.strictObject({ days: z.number().int().min(1).max(3650).nullable() }),
      z.object({ days: z.number().int().nullable(), lastRunAt: z.number().nullable(), lastDeleted: z.number().int() }),
      'Keep audit events for this many days (null: forever); older ones are deleted in the background.',
    ),
  },
};
