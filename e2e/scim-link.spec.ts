import { test, expect } from './fixtures';

/**
 * Issue #23, point 7: a SCIM create whose email belongs to an existing user does not rename them
 * silently. Over HTTP the IdP's create links to Bob (201) and a second one is 409 `uniqueness`; the
 * user page shows Bob's own name, "Provisioned by Okta", and the note of what was kept.
 */
test('a SCIM create for an existing email links without renaming, says so on the user page; a second is 409', async ({
  consolePage: page,
  host,
}) => {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Provisioning' })
    .click();
  const panel = page.getByRole('region', { name: 'Provisioning' });
  await panel.getByLabel('Account').selectOption({ label: 'Acme Corp (enterprise)' });
  await panel.getByRole('switch', { name: 'Provisioning for Acme Corp' }).click();
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').first()).toContainText('Provisioning on for Acme Corp');
  await panel.getByRole('button', { name: 'Create token' }).click();
  const tokenField = panel.getByRole('textbox', { name: 'New bearer token (shown once)' });
  await expect(tokenField).toHaveValue(/^scim_/);
  const token = await tokenField.inputValue();

  const create = (userName: string) =>
    fetch(`${host.ready.api}/scim/v2/Users`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/scim+json',
        'User-Agent': 'Okta SCIM Client 1.0.0',
      },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        name: { givenName: 'Robert', familyName: 'Other' },
      }),
    });
  expect((await create('bob@acme.test')).status).toBe(201);
  const again = await create('BOB@acme.test');
  expect(again.status).toBe(409);
  expect(await again.json()).toMatchObject({ scimType: 'uniqueness' });

  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Directory' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: /Bob Stone, bob@acme\.test/ }).click();
  await expect(page.getByRole('heading', { name: 'Bob Stone (bob@acme.test)' })).toBeFocused();
  await expect(
    page.getByRole('table', { name: 'Accounts of bob@acme.test' }).getByRole('row', { name: /Acme Corp/ }),
  ).toContainText('Provisioned by Okta');
  await expect(page.getByRole('table', { name: 'Recent audit events of bob@acme.test' })).toContainText(
    'linked to the existing user bob@acme.test; kept their name "Bob Stone" (the IdP sent "Robert Other")',
  );
});
