/** Platform API tokens live 60 minutes: the `Expires` the API returns is in minutes. */
export const TOKEN_TTL_MINUTES = 60;
export const TOKEN_TTL_MS = TOKEN_TTL_MINUTES * 60_000;

/** 32 random bytes = 256 bits, base64url (43 characters, URL-safe without escaping). */
export const TOKEN_BYTES = 32;

/**
 * How a token appears in audit events and logs: the first 8 hex digits of its SHA-256, never the
 * token. Enough to tell tokens apart and to find one in the Inspector, useless to an attacker.
 */
export const fingerprint = (tokenHash: string): string => `tok:${tokenHash.slice(0, 8)}`;
