import { test, expect } from './fixtures';

test.describe.configure({ timeout: 5 * 60_000 });

test('SSO: a preset builds its issuer or none, a test result goes stale on edit, switching on asks who loses password login', async ({
  consolePage: page,
}) => {
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Security › SSO' })
    .click();
  const form = page.getByRole('form', { name: 'SSO settings for Acme Corp' });
  await expect(form.getByLabel('Client ID')).toHaveValue('sso-desk-demo');
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is on for Acme Corp');

  // Okta with a domain builds its issuer; Entra ID with an empty tenant builds none (never Okta's).
  await form.getByLabel('Identity provider').selectOption({ label: 'Okta' });
  await form.getByLabel(/Okta domain/i).fill('dev-123.okta.com');
  await expect(form.getByLabel('IdP URL (issuer)')).toHaveValue(/^https:\/\/dev-123\.okta\.com/);
  await form.getByLabel('Identity provider').selectOption({ label: 'Microsoft Entra ID' });
  await expect(form.getByLabel('IdP URL (issuer)')).toHaveValue('');
  await expect(form).toContainText('Nothing built yet: fill in the values above');
  await expect(page.getByRole('region', { name: 'Unsaved changes' })).toBeVisible();
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Discard' }).click();
  await expect(form.getByLabel('Identity provider')).toHaveValue('generic');

  // Test connection, then an edit: the result says it is stale.
  await form.getByRole('button', { name: 'Test connection' }).click();
  const results = form.getByRole('region', { name: 'Test connection results' });
  await expect(results).toContainText('Connection OK');
  await expect(results).toBeFocused();
  await form.getByLabel('Client ID').fill('sso-desk-demo-2');
  await expect(results).toContainText('Stale: the settings changed after this test');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Discard' }).click();
  await expect(form.getByLabel('Client ID')).toHaveValue('sso-desk-demo');

  // Switch SSO off and save; the draft "on" is marked as not saved.
  await form.getByRole('switch', { name: 'SSO' }).uncheck();
  await expect(form).toContainText('SSO off — not saved yet');
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is on');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is off');
  await expect(form.getByLabel('Saved state')).not.toContainText('enforced since');

  // Switching it on: the checklist, then an in-app confirmation that names the count.
  await form.getByRole('switch', { name: 'SSO' }).check();
  const before = form.getByRole('region', { name: 'Before SSO is switched on' });
  await expect(before).toContainText('takes password login away from 4 users of Acme Corp');
  await expect(before).toContainText('✓ Test connection passed for these settings');
  await expect(before).toContainText('No test sign-in in the last 30 minutes');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Switch SSO on for Acme Corp?' });
  await expect(ask).toContainText('4 users of Acme Corp lose password login');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is off');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await ask.getByRole('button', { name: 'Switch SSO on: 4 users lose password login' }).click();
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is on for Acme Corp — enforced since');
  await expect(page.getByRole('region', { name: 'Unsaved changes' })).toBeHidden();
});

test('Platform SSO keeps a draft: leaving asks in the app, Discard and leave keeps what was saved; closing the window asks too', async ({
  consolePage: page,
}) => {
  const nav = page.getByRole('navigation', { name: 'Settings sections' });
  await nav.getByRole('button', { name: 'Platform SSO' }).click();
  const acme = page.getByRole('article', { name: 'Platform SSO of Acme Corp' });
  const embeddable = acme.getByRole('switch', { name: 'Embeddable pages (Acme Corp)' });
  const wasOn = await embeddable.isChecked();
  await embeddable.setChecked(!wasOn);
  await expect(acme).toContainText('not saved yet');
  await expect(page.getByRole('region', { name: 'Unsaved changes' })).toContainText('Platform SSO');

  // The browser's own question on reload or close: the beforeunload handler cancels the unload.
  const prevented = await page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(prevented).toBe(true);

  await nav.getByRole('button', { name: 'General' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Leave without saving?' });
  await expect(ask).toContainText('Platform SSO switches');
  await ask.getByRole('button', { name: 'Discard changes and leave' }).click();
  await expect(page.getByRole('heading', { name: 'General', level: 1 })).toBeVisible();
  await nav.getByRole('button', { name: 'Platform SSO' }).click();
  await expect(acme.getByRole('switch', { name: 'Embeddable pages (Acme Corp)' })).toBeChecked({ checked: wasOn });
});

test('Home opens first: what each account has set up, its last test, what needs attention, the next step', async ({
  homePage: page,
}) => {
  const acme = page.getByRole('article', { name: /Acme Corp/ });
  await expect(acme).toContainText('On: enforced for every member');
  await expect(acme).toContainText('Never tested');
  await expect(acme).toContainText('The saved SSO settings have not been tested.');
  const globex = page.getByRole('article', { name: /Globex Inc/ });
  await expect(globex).toContainText('On: passwords checked by the customer’s service');
  // The next step opens the screen it names, on the account.
  await acme.getByRole('button', { name: 'Open Security › SSO for Acme Corp' }).click();
  const form = page.getByRole('form', { name: 'SSO settings for Acme Corp' });
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('region', { name: 'Test connection results' })).toContainText('Connection OK');
  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(acme).toContainText('Last test passed');
  await expect(acme).not.toContainText('have not been tested');
});
