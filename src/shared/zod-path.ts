import type { z } from 'zod';

/** `bots[0].team[1].level` from zod's `['bots', 0, 'team', 1, 'level']`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The first issue of a failed parse, as `path: message` (or just the message at the root). */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid input' };
  const field = formatPath(issue.path);
  let message = issue.message;
  if (issue.code === 'invalid_value' && 'values' in issue) {
    message = `expected one of ${(issue.values as unknown[]).map(String).join(', ')}`;
  }
  return { field, message: field ? `${field}: ${message}` : message };
}
