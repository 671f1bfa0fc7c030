import type { AuditEvent } from '../../store/audit';
import { SIMULATOR_ACTOR } from '../../store/audit';
import type { SigninRow } from '@shared/contract/signin-log';
import type { SimRunRecord } from '@shared/contract/simulator';
import { SIGNIN_SUCCESS_OUTCOMES, signinMethodLabel } from '@shared/signin-log';
import { TraceStep } from '@shared/trace';
import { z } from 'zod';

/** What sign-in events keep in their detail (each path keeps a part of it). */
interface SigninDetail {
  issuer?: string;
  idp?: string;
  code?: string;
  idpError?: string;
  traceId?: string;
  correlationId?: string;
  device?: SimRunRecord['device'];
  steps?: unknown;
  trace?: unknown;
}

const detailOf = (e: AuditEvent): SigninDetail =>
  e.detail !== null && typeof e.detail === 'object' ? (e.detail as SigninDetail) : {};

/** The redacted steps of an attempt: an SSO flow keeps `steps`, a password login `trace`. */
export function stepsOf(e: AuditEvent): TraceStep[] {
  const d = detailOf(e);
  const parsed = z.array(TraceStep).safeParse(d.steps ?? d.trace);
  return parsed.success ? parsed.data : [];
}

/** The host of the first service the attempt called (the external authentication service). */
function calledHost(e: AuditEvent): string | null {
  for (const s of stepsOf(e)) {
    if (!s.http) continue;
    try {
      return new URL(s.http.request.url).host;
    } catch {
      return null;
    }
  }
  return null;
}

/** Who vouched for the user, in words. */
function idpOf(e: AuditEvent): string | null {
  const d = detailOf(e);
  if (e.kind === 'sso.signin' || e.kind === 'saml.signin') return d.issuer ?? d.idp ?? null;
  if (e.kind === 'sso.token.redeem') return 'Platform API';
  if (e.method === 'passthrough') return calledHost(e) ?? 'External service';
  if (e.method === 'password') return 'SSO Desk';
  return null;
}

/** An audit event of a sign-in, as a row of the sign-in logs. */
export function signinRow(e: AuditEvent, accountName: string | null): SigninRow {
  const d = detailOf(e);
  return {
    id: e.id,
    at: e.at,
    email: e.email,
    accountId: e.accountId,
    accountName,
    method: e.method,
    methodLabel: signinMethodLabel(e.method),
    idp: idpOf(e),
    result: SIGNIN_SUCCESS_OUTCOMES.includes(e.outcome) ? 'success' : 'failure',
    reason: e.reason,
    errorCode: d.idpError ?? d.code ?? null,
    correlationId: d.traceId ?? d.correlationId ?? `SD-${e.id}`,
    simulator: e.actor === SIMULATOR_ACTOR,
    runId: e.runId,
    durationMs: e.durationMs,
  };
}

/**
 * The Simulator input that replays an attempt (never its password: support types it again), or null for
 * a path the Simulator does not run (a Platform SSO link is opened, not signed in to).
 */
export function rerunOf(e: AuditEvent): SimRunRecord | null {
  if (!e.email || e.kind === 'sso.token.redeem') return null;
  const method = e.kind === 'sso.signin' ? 'sso' : e.kind === 'auth.login' ? 'password' : 'auto';
  return {
    email: e.email,
    ...(e.accountId ? { account: e.accountId } : {}),
    method: e.kind === 'auth.login' && e.method === 'sso' ? 'auto' : method,
    device: detailOf(e).device ?? {},
  };
}
