import { afterEach, beforeEach, expect, it } from 'vitest';
import { USER, scimWorld, type ScimWorld } from '../scim/harness';
import { findUserByEmail } from '../../src/main/store/users';
import { queryAudit } from '../../src/main/store/audit';

/*
 * Issue #23, point 7: a SCIM create whose email belongs to an existing user does not rename that user
 * silently. It links to them, keeps what the directory has, and says so in the request's audit event.
 */
let w: ScimWorld;
beforeEach(async () => {
  w = await scimWorld();
});
afterEach(() => w.cleanup());

it('links to the existing user, keeps their name and external ID, and notes what it kept', async () => {
  const db = w.run.store.db;
  const before = findUserByEmail(db, 'ann@acme.test')!;
  const r = await w.scim('POST', '/Users', {
    schemas: [USER],
    userName: 'ann@acme.test',
    name: { givenName: 'Annie', familyName: 'Other' },
    externalId: 'okta-00u1',
    password: 'from-the-idp-0123',
  });
  expect(r.status).toBe(201);
  const after = findUserByEmail(db, 'ann@acme.test')!;
  expect({ name: after.name, externalId: after.externalId, passwordHash: after.passwordHash }).toEqual({
    name: before.name,
    externalId: before.externalId,
    passwordHash: before.passwordHash,
  });
  const event = queryAudit(db, { accountId: 'acme' }, { limit: 5 }).find((e) => e.kind === 'scim.request')!;
  expect(event.reason).toContain(
    `linked to the existing user ann@acme.test; kept their name "${before.name}" (the IdP sent "Annie Other")`,
  );
  expect(event.reason).toContain('the password (the IdP sent one; not applied)');
  expect(event.reason).not.toContain('password set');

  // A second SCIM user for the same person is refused as RFC 7644 §3.3 says: 409 uniqueness.
  const again = await w.scim('POST', '/Users', { schemas: [USER], userName: 'ANN@acme.test' });
  expect(again.status).toBe(409);
  expect(again.body.scimType).toBe('uniqueness');
});
