/**
 * The IdP-asserted email is what picks the SSO Desk user, so an address the IdP itself says is not
 * verified (`email_verified: false`, OpenID Connect Core 1.0 §5.1) is refused. An IdP that says
 * nothing (Entra ID) is trusted for its own users.
 */
export function checkEmailVerified(email: string, emailVerified: unknown): string | null {
  if (emailVerified === false || emailVerified === 'false')
    return `${email} is not verified at the IdP (email_verified is false)`;
  return null;
}
