import { z } from 'zod';

/** What stands in for a secret everywhere a person or a file could see it. */
export const MASK = '••••';

export const HttpHeaders = z.array(z.tuple([z.string(), z.string()]));

/** One HTTP exchange as the engine saw it, already redacted. */
export const TraceHttp = z.object({
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: HttpHeaders,
    body: z.string().nullable(),
  }),
  response: z
    .object({
      status: z.number().int(),
      statusText: z.string(),
      headers: HttpHeaders,
      body: z.string(),
      truncated: z.boolean(),
    })
    .nullable(),
  ms: z.number(),
});
export type TraceHttp = z.infer<typeof TraceHttp>;

/** One step of a login, an SSO flow or a token issuance: what the Simulator shows and the audit keeps. */
export const TraceStep = z.object({
  step: z.string(),
  outcome: z.enum(['ok', 'fail', 'info', 'warn']),
  detail: z.string(),
  /** Milliseconds since the run started. */
  atMs: z.number(),
  http: TraceHttp.optional(),
});
export type TraceStep = z.infer<typeof TraceStep>;

/** A whole run: when it started (epoch ms) and its steps. */
export const TraceRun = z.object({
  startedAt: z.number(),
  title: z.string(),
  steps: z.array(TraceStep),
});
export type TraceRun = z.infer<typeof TraceRun>;
