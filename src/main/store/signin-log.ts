import type { Db } from './db';
import { auditFromRaw, catchUpAuditInbox, getAuditEvent, idBounds, SIMULATOR_ACTOR, type AuditEvent } from './audit';
import { stmt } from './statements';

/**
 * Sign-in logs are the audit log's sign-in events, read through partial indexes of only those events
 * (migration 96): a sign-in is written once, as its audit event, and never a second time. These kinds
 * must match the indexes' `WHERE kind IN (…)` word for word, or SQLite will not use them.
 */
export const SIGNIN_KINDS = ['auth.login', 'sso.signin', 'saml.signin', 'sso.token.redeem'] as const;
const KINDS_SQL = `kind IN (${SIGNIN_KINDS.map((k) => `'${k}'`).join(', ')})`;
/** The result expression of the `signin_log_*r` indexes, written exactly as they have it. */
const SUCCESS_SQL = `(outcome IN ('ok', 'authenticated'))`;

export interface SigninFilter {
  /** The user's email, exactly (emails are stored lower-case). */
  email?: string | undefined;
  accountId?: string | undefined;
  /** The method as stored: 'password', 'passthrough', 'sso', 'saml', 'platform-sso'. */
  method?: string | undefined;
  result?: 'success' | 'failure' | undefined;
  /** Only the Simulator's runs (true), only everyone else's (false), or both. */
  simulator?: boolean | undefined;
  /** Inclusive lower and exclusive upper bound on `at`, in ms. */
  from?: number | undefined;
  to?: number | undefined;
}

/**
 * One page of sign-in attempts, newest first, keyset-paged by id (`before`: the last id of the previous
 * page). Each set of equality filters has its own partial index ending in id, so a page reads about
 * `limit` index entries whatever the depth; the Simulator filter is checked on the rows met on the way.
 */
export function querySigninLog(
  db: Db,
  filter: SigninFilter,
  opts: { limit: number; before?: number | undefined },
): AuditEvent[] {
  catchUpAuditInbox(db);
  const conditions: Array<[string, unknown]> = [];
  if (filter.email) conditions.push(['email = ?', filter.email.toLowerCase()]);
  if (filter.accountId) conditions.push(['account_id = ?', filter.accountId]);
  if (filter.method) conditions.push(['method = ?', filter.method]);
  if (filter.result) conditions.push([`${SUCCESS_SQL} = ?`, filter.result === 'success' ? 1 : 0]);
  // A user has few sign-ins: their index alone is enough. Otherwise the index of exactly the filters set
  // (migration 96: signin_log_a, _am, _amr…), so that filters which together match nothing cost a seek.
  const index = filter.email
    ? 'signin_log_e'
    : `signin_log${filter.accountId || filter.method || filter.result ? '_' : ''}` +
      `${filter.accountId ? 'a' : ''}${filter.method ? 'm' : ''}` +
      `${filter.result ? 'r' : ''}`;
  if (filter.simulator === true) conditions.push(['actor = ?', SIMULATOR_ACTOR]);
  if (filter.simulator === false) conditions.push(['(actor IS NULL OR actor <> ?)', SIMULATOR_ACTOR]);
  const bounds = idBounds(db, filter);
  if (bounds.empty) return [];
  if (bounds.lo !== undefined) conditions.push(['id >= ?', bounds.lo]);
  if (bounds.hi !== undefined) conditions.push(['id < ?', bounds.hi]);
  if (filter.from !== undefined) conditions.push(['at >= ?', filter.from]);
  if (filter.to !== undefined) conditions.push(['at < ?', filter.to]);
  if (opts.before !== undefined) conditions.push(['id < ?', opts.before]);
  // The statement's shape depends only on which filters are set: a few dozen, each prepared once.
  const rows = stmt(
    db,
    `SELECT * FROM audit_log INDEXED BY ${index}
      WHERE ${KINDS_SQL} ${conditions.map(([c]) => `AND ${c}`).join(' ')} ORDER BY id DESC LIMIT ?`,
  ).all(...conditions.map(([, p]) => p), opts.limit) as Parameters<typeof auditFromRaw>[0][];
  return rows.map(auditFromRaw);
}

/** One sign-in attempt, or undefined when the id is not a sign-in event. */
export function getSigninEvent(db: Db, id: number): AuditEvent | undefined {
  const e = getAuditEvent(db, id);
  return e && (SIGNIN_KINDS as readonly string[]).includes(e.kind) ? e : undefined;
}

/** The methods and accounts that have sign-ins, for the filter menus: one seek per distinct value. */
export function signinFacets(db: Db): { methods: string[]; accounts: string[] } {
  catchUpAuditInbox(db);
  const col = (c: 'method' | 'account_id', index: string) =>
    (
      stmt(
        db,
        `WITH RECURSIVE t(v) AS (
           SELECT (SELECT min(${c}) FROM audit_log INDEXED BY ${index} WHERE ${KINDS_SQL})
           UNION ALL
           SELECT (SELECT min(${c}) FROM audit_log INDEXED BY ${index} WHERE ${KINDS_SQL} AND ${c} > t.v)
             FROM t WHERE t.v IS NOT NULL)
         SELECT v FROM t WHERE v IS NOT NULL`,
      ).all() as Array<{ v: string }>
    ).map((r) => r.v);
  return { methods: col('method', 'signin_log_m'), accounts: col('account_id', 'signin_log_a') };
}
