import type { DiagnosedExchange, Finding } from '@shared/contract/diagnose';
import type { HarEntryLite } from '@shared/har-scan';

/** One exchange while the diagnosis reads it: the public shape plus what the checks need. */
export interface Exchange extends DiagnosedExchange {
  /** The HAR entry, unredacted; null for pasted text. */
  raw: HarEntryLite | null;
  /** Query, fragment and form parameters together (fragment and body win over the query). */
  params: Map<string, string>;
  /** Tokens found in the exchange (callback fragment, token answer), by their parameter name. */
  tokens: Array<{ name: string; token: string }>;
  /** A response body read as JSON, when it is a JSON object. */
  json: Record<string, unknown> | null;
}

/** An account whose OIDC settings the capture can be compared with. */
export interface AccountSettings {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  userClaim: string;
  enabled: boolean;
}

export interface DiagnoseContext {
  exchanges: Exchange[];
  accounts: AccountSettings[];
  /** The JWKS documents the capture carries (answers of jwks_uri). */
  jwks: unknown[];
  /** Masks a secret and remembers it; returns its id. */
  secret: (label: string, value: string) => string;
}

/** A check reads the whole capture and returns what it found (often nothing). */
export type Check = (ctx: DiagnoseContext) => Finding[] | Promise<Finding[]>;

export const finding = (
  code: Finding['code'],
  severity: Finding['severity'],
  ex: { step: string; index: number } | null,
  message: string,
  fix: string,
): Finding => ({ code, severity, step: ex?.step ?? 'capture', exchange: ex?.index ?? null, message, fix });

/** The exchanges of a kind with their index. */
export function ofKind(ctx: DiagnoseContext, ...kinds: Exchange['kind'][]): Array<Exchange & { index: number }> {
  return ctx.exchanges.map((e, index) => ({ ...e, index })).filter((e) => kinds.includes(e.kind));
}

/** The last exchange of a kind before `index`. */
export function lastBefore(
  ctx: DiagnoseContext,
  index: number,
  kind: Exchange['kind'],
): (Exchange & { index: number }) | null {
  for (let i = index - 1; i >= 0; i--) if (ctx.exchanges[i]!.kind === kind) return { ...ctx.exchanges[i]!, index: i };
  return null;
}

export const headerOf = (headers: Array<[string, string]>, name: string): string | undefined =>
  headers.find(([n]) => n.toLowerCase() === name)?.[1];
