import { constantTimeEqual } from '../../crypto/hash';

/**
 * The `state` of the redirect must be the one this flow sent (RFC 6749 §10.12, CSRF): compared in
 * constant time. A missing or different state ends the flow.
 */
export function checkState(expected: string, received: string | null): string | null {
  if (received === null || received === '') return 'the callback carries no state: it did not come from this sign-in';
  if (!constantTimeEqual(expected, received))
    return 'wrong state: the callback does not belong to this sign-in (possible forged or stale redirect)';
  return null;
}
