import { z } from 'zod';
import { TraceHttp } from '../trace';

/**
 * Inspector › Diagnose: a captured sign-in (a HAR file, or a pasted URL, query string, SAML message or
 * token) read offline and explained. A big file is read by the console a piece at a time
 * (`shared/har-scan`) and only its sign-in entries are sent here, so the text stays small.
 */
export const MAX_DIAGNOSE_CHARS = 10 * 1024 * 1024;

export const DiagnoseInput = z.strictObject({
  text: z
    .string()
    .min(1, 'drop a HAR file or paste a URL, a SAML message or a token')
    .max(MAX_DIAGNOSE_CHARS, `at most ${MAX_DIAGNOSE_CHARS / 1024 / 1024} MiB of text; open a big HAR as a file`),
  /** What the console's reader left out of a big file, said again in the diagnosis. */
  notes: z.array(z.string().max(500)).max(50).optional(),
  /** Entries of the original file, when the console read it (the text then holds only the sign-in ones). */
  totalEntries: z.number().int().nonnegative().optional(),
});
export type DiagnoseInput = z.input<typeof DiagnoseInput>;

export const FINDING_CODES = [
  'no_sso_exchange',
  'redirect_uri_mismatch',
  'idp_error',
  'state_mismatch',
  'nonce_mismatch',
  'pkce_missing',
  'token_expired',
  'token_not_yet_valid',
  'audience_mismatch',
  'issuer_mismatch',
  'signature_invalid',
  'claim_missing',
  'user_not_registered',
  'user_deactivated',
  'sso_required',
  'cookies_blocked',
  'loop',
  'http_error',
  'client_id_unknown',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const Finding = z.object({
  code: z.enum(FINDING_CODES),
  severity: z.enum(['error', 'warning', 'info']),
  /** The exchange's step label ("authorize", "callback", "token"…), or "capture" for the file as a whole. */
  step: z.string(),
  /** Index into `exchanges`, when one exchange is at fault. */
  exchange: z.number().int().nullable(),
  /** The cause, in words. Secrets never appear in it. */
  message: z.string(),
  fix: z.string(),
});
export type Finding = z.infer<typeof Finding>;

/** A decoded value: a secret's value is the mask, and `secret` names the entry of `secrets` that holds it. */
export const DecodedField = z.object({ name: z.string(), value: z.string(), secret: z.string().nullable() });
export type DecodedField = z.infer<typeof DecodedField>;

export const EXCHANGE_KINDS = [
  'discovery',
  'authorize',
  'login',
  'callback',
  'token',
  'userinfo',
  'jwks',
  'saml_request',
  'saml_response',
  'deep_link',
  'sso_desk_login',
  'logout',
  'redirect',
  'error',
  'pasted',
] as const;

export const DiagnosedExchange = z.object({
  kind: z.enum(EXCHANGE_KINDS),
  /** The step as people say it: "authorize", "callback", "token"… */
  step: z.string(),
  outcome: z.enum(['ok', 'fail', 'info', 'warn']),
  detail: z.string(),
  /** Milliseconds since the first exchange (0 when the capture has no times). */
  atMs: z.number(),
  /** Position in the file's entries; null for pasted text. */
  entry: z.number().int().nullable(),
  /** Decoded parameters, claims and messages; secrets masked. */
  fields: z.array(DecodedField),
  /** A decoded SAML message (XML) or token (JSON), secrets masked; null when there is none. */
  decoded: z.string().nullable(),
  /** The exchange, redacted like the Simulator's. */
  http: TraceHttp.nullable(),
});
export type DiagnosedExchange = z.infer<typeof DiagnosedExchange>;

export const Diagnosis = z.object({
  /** What the text was. */
  source: z.enum(['har', 'url', 'query', 'saml', 'token', 'unknown']),
  /** One sentence: the cause when one was found, or what was read. */
  summary: z.string(),
  exchanges: z.array(DiagnosedExchange),
  findings: z.array(Finding),
  /** What was skipped or could not be read, in words. */
  notes: z.array(z.string()),
  totalEntries: z.number().int().nonnegative(),
  /**
   * The secrets the capture carried, in clear, so the console can reveal one at a time on request. They
   * exist only in this answer: never stored, logged or put in a report.
   */
  secrets: z.array(z.object({ id: z.string(), label: z.string(), value: z.string() })),
});
export type Diagnosis = z.infer<typeof Diagnosis>;
