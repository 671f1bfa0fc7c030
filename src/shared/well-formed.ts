import { formatPath } from './zod-path';

/** How deep a JSON input may nest: deeper than any form or workspace file of SSO Desk needs. */
export const MAX_JSON_DEPTH = 32;

/** A lone UTF-16 surrogate: no UTF-8 encoding exists for it (RFC 3629 §3), so no field may carry one. */
export const hasLoneSurrogate = (s: string): boolean => /\p{Cs}/u.test(s);

/** C0 controls (CR, LF, NUL, …), DEL, C1 controls and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
export const hasControl = (s: string): boolean => CONTROL.test(s);

export interface IllFormed {
  /** The path of the bad value, as zod names fields (`headers[1].value`); '' for the root. */
  field: string;
  message: string;
}

/**
 * The first part of a decoded JSON input that no channel or endpoint can take: nesting deeper than
 * `maxDepth`, or a string (value or key) with a lone surrogate. Walks iteratively, so that a hostile
 * depth cannot exhaust the stack here either. Null when the input is fine.
 */
export function findIllFormed(input: unknown, maxDepth = MAX_JSON_DEPTH): IllFormed | null {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (hasLoneSurrogate(value))
        return { field: formatPath(path), message: 'is not valid Unicode (it has a lone surrogate)' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= maxDepth)
      return { field: formatPath(path), message: `is nested more than ${maxDepth} levels deep` };
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (hasLoneSurrogate(k))
        return { field: formatPath(path), message: 'has a field name that is not valid Unicode (a lone surrogate)' };
      stack.push({ value: v, path: [...path, k] });
    }
  }
  return null;
}

/** The message of an IllFormed, as the typed errors put it: `field: message`. */
export const describeIllFormed = (p: IllFormed): string =>
  p.field ? `${p.field}: ${p.message}` : `the input ${p.message}`;

/**
 * Makes control characters in a log line visible and harmless: `\n` becomes the two characters
 * `\n`, others `\u001b`, so that no input can forge a line of its own or drive a terminal.
 */
export function escapeControls(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
