/**
 * Words for the sign-in logs: how each stored method reads, and which outcomes are a success. Pure, so
 * the engine (rows) and the screen (filter menus) say the same thing.
 */
export const SIGNIN_METHOD_LABELS: Record<string, string> = {
  password: 'Password',
  passthrough: 'External authentication',
  sso: 'SSO (OpenID Connect)',
  saml: 'SSO (SAML)',
  'platform-sso': 'Platform SSO link',
};

/** The label of a stored method; an unknown one (a method added later) reads as itself. */
export const signinMethodLabel = (method: string | null): string =>
  method === null ? 'Not decided' : (SIGNIN_METHOD_LABELS[method] ?? method);

/** The outcomes of a sign-in that let the user in (as the store's `signin_log_result` index has them). */
export const SIGNIN_SUCCESS_OUTCOMES: readonly string[] = ['ok', 'authenticated'];
