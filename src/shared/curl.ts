import { redactHttp } from './redact';
import type { TraceHttp } from './trace';

/** POSIX shell single-quoting: the only character that needs care inside '…' is ' itself. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The exchange as a curl command, redacted: secrets appear as •••• for the reader to fill in. */
export function toCurl(http: TraceHttp, secrets: readonly string[] = []): string {
  const r = redactHttp(http, secrets).request;
  const parts = ['curl', '-X', r.method, shellQuote(r.url)];
  for (const [name, value] of r.headers) {
    if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'host') continue;
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (r.body !== null && r.body !== '') parts.push('--data-raw', shellQuote(r.body));
  return parts.join(' ');
}
