import type { Db } from '@main/store/db';
import { findUserByEmail, type UserRow } from '@main/store/users';

/**
 * The email asserted by the IdP must belong to a registered SSO Desk user: SSO authenticates people
 * the account already has, it never creates them.
 */
export function checkEmailRegistered(db: Db, email: string | undefined): { user: UserRow } | { problem: string } {
  if (!email)
    return { problem: 'the IdP asserted no email (ask for the "email" scope, or map an email claim at the IdP)' };
  const user = findUserByEmail(db, email);
  if (!user) return { problem: `${email} (asserted by the IdP) is not a registered SSO Desk user` };
  return { user };
}
