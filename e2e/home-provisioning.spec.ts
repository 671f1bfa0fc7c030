import { test, expect } from './fixtures';

test.describe.configure({ timeout: 4 * 60_000 });

test('Home shows provisioning per account: switch, token, members it manages, the last SCIM request, what needs attention and the next step', async ({
  homePage: page,
  host,
}) => {
  const acme = page.getByRole('article', { name: /Acme Corp/ });
  const prov = acme.getByLabel('Provisioning of Acme Corp');
  await expect(prov).toContainText('Off · no token');
  await expect(prov).toContainText('0 provisioned members, 0 deactivated');
  await expect(prov).toContainText('No SCIM request yet');
  await expect(acme).toContainText('Let Okta or Entra ID provision this account’s users');
  // Globex is on Pro: no provisioning step is offered.
  await expect(page.getByRole('article', { name: /Globex Inc/ })).not.toContainText('Let Okta or Entra ID provision');

  // The next step opens Settings › Provisioning on Acme; switched on and saved without a token, Home says what is missing.
  await acme.getByRole('button', { name: 'Open Provisioning for Acme Corp' }).first().click();
  const panel = page.getByRole('region', { name: 'Provisioning' });
  await expect(panel.getByLabel('Account')).toHaveValue('acme');
  await panel.getByRole('switch', { name: 'Provisioning for Acme Corp' }).check();
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').first()).toContainText('Provisioning on for Acme Corp');
  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(prov).toContainText('On · no token');
  await expect(acme).toContainText('Provisioning is on but has no token: Okta and Entra ID are refused (401).');
  await expect(acme).toContainText('Create the provisioning token and paste it into the IdP');

  await acme.getByRole('button', { name: 'Open Provisioning for Acme Corp' }).first().click();
  await panel.getByRole('button', { name: 'Create token' }).click();
  const token = await panel.getByRole('textbox', { name: 'New bearer token (shown once)' }).inputValue();
  expect(token).toMatch(/^scim_/);

  // The IdP (this test, as Okta) provisions two users over real HTTP and deactivates one.
  const scim = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${host.ready.api}/scim/v2${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/scim+json',
        'User-Agent': 'Okta SCIM Client 1.0.0',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as { id?: string } };
  };
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const newhire = await scim('POST', '/Users', {
    schemas: [USER],
    userName: 'newhire@acme.test',
    name: { givenName: 'New', familyName: 'Hire' },
    active: true,
  });
  expect(newhire.status).toBe(201);
  const leaver = await scim('POST', '/Users', { schemas: [USER], userName: 'leaver@acme.test', active: true });
  expect(leaver.status).toBe(201);
  const patched = await scim('PATCH', `/Users/${leaver.body.id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', value: { active: false } }],
  });
  expect(patched.status).toBe(200);

  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(prov).toContainText(`On · token set (…${token.slice(-4)})`);
  await expect(prov).toContainText('2 provisioned members, 1 deactivated');
  // In words, with the HTTP line kept for whoever opens the technical details.
  await expect(prov).toContainText('Okta deactivated leaver@acme.test');
  await expect(prov.getByText(`PATCH /Users/${leaver.body.id} → 200 OK`)).toBeHidden();
  await prov.getByText('Technical details').click();
  await expect(prov.getByText(`PATCH /Users/${leaver.body.id} → 200 OK`)).toBeVisible();
  await expect(acme).not.toContainText('Provisioning is on but has no token');
  await expect(prov).not.toContainText(token);

  // A refused request (a duplicate userName) is what needs attention, with the way to check it.
  expect((await scim('POST', '/Users', { schemas: [USER], userName: 'NewHire@acme.test' })).status).toBe(409);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(prov).toContainText('POST /Users → 409 refused');
  await expect(acme).toContainText('The last SCIM request was refused: POST /scim/v2/Users → 409');
  await expect(acme).toContainText('Check the IdP’s provisioning settings, then run Test provisioning');
});
