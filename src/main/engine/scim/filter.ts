import { parse, Tester, type Compare, type Filter } from 'scim2-parse-filter';
import { badRequest } from './errors';

/*
 * Filters (RFC 7644 §3.4.2.2) come from `scim2-parse-filter`: its parser turns the query into an AST
 * (every operator, `and`/`or`/`not`, grouping, value paths such as `emails[type eq "work"]`), and its
 * Tester evaluates the AST against a resource (attribute names case-insensitively, URN-prefixed paths,
 * multi-valued attributes). We add two things the library does not do:
 *
 * 1. Case-insensitive values. RFC 7643 §2.2 makes string attributes `caseExact: false` unless the
 *    schema says otherwise, so `userName eq "ANN@acme.test"` must find ann@acme.test. The library's
 *    comparisons are exact; `ScimTester` lower-cases both sides for attributes that are not caseExact
 *    (only `id` and `externalId` are caseExact here) and otherwise leaves the evaluation to the library.
 * 2. An index for the common case. Okta and Entra ID look a user up with `userName eq "…"` (and
 *    `externalId eq`, `id eq`) before every create; testing the library's predicate against 100,000
 *    rows takes tens of milliseconds. `indexedLookup` finds such a conjunct in the AST and the store
 *    answers it from a unique index; the library's predicate still decides the whole filter on the
 *    rows the index found, so the index only narrows, it never changes the answer.
 */

const MAX_FILTER = 4096;
const CASE_EXACT = new Set(['id', 'externalid']);

const lastName = (attrPath: string): string => {
  const afterUrn = attrPath.slice(attrPath.lastIndexOf(':') + 1);
  return (afterUrn.split('.').pop() ?? '').toLowerCase();
};

const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

class ScimTester extends Tester {
  override test(r: unknown, f: Filter): boolean {
    const cmp = f as Compare;
    const compare = !['pr', 'and', 'or', 'not', '[]'].includes(f.op);
    if (compare && typeof cmp.compValue === 'string' && !CASE_EXACT.has(lastName(cmp.attrPath))) {
      const value = cmp.compValue as string;
      return this.attrTest(this.attrPath(cmp.attrPath), r, (x: unknown) =>
        (this[cmp.op] as (a: unknown, b: unknown) => boolean).call(this, lower(x), value.toLowerCase()),
      );
    }
    return super.test(r, f);
  }
}

const tester = new ScimTester();

/**
 * Parses a filter with the library.
 * @throws ScimError 400 `invalidFilter` for a filter the grammar does not accept (unknown operators included).
 */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER) throw badRequest(`the filter is over ${MAX_FILTER} characters`, 'invalidFilter');
  try {
    return parse(text);
  } catch (error) {
    throw badRequest(
      `the filter "${text.slice(0, 200)}" is not valid SCIM filter syntax: ${(error as Error).message}`,
      'invalidFilter',
    );
  }
}

/** The library's predicate for a parsed filter, with case-insensitive string values (see above). */
export const predicate =
  (f: Filter) =>
  (resource: unknown): boolean =>
    tester.test(resource, f);

export type IndexedColumn = 'user_name' | 'external_id' | 'id';

const INDEXED: Record<string, IndexedColumn> = { username: 'user_name', externalid: 'external_id', id: 'id' };

/**
 * An `eq` on an indexed attribute that every match must satisfy: the filter itself, or one conjunct
 * of a top-level `and`. Null when no such conjunct exists (the caller then scans).
 */
export function indexedLookup(f: Filter): { column: IndexedColumn; value: string } | null {
  const candidates = f.op === 'and' ? f.filters : [f];
  for (const c of candidates) {
    if (c.op !== 'eq' || typeof c.compValue !== 'string') continue;
    const path = c.attrPath.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '');
    const column = INDEXED[path.toLowerCase()];
    if (column) return { column, value: c.compValue };
  }
  return null;
}
