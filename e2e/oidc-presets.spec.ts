import { test, expect } from '@playwright/test';
import { startHost, type RunningHost } from './host';

/** Settings › Security › SSO: choosing a vendor that matches the redirect port exactly proposes a fixed port. */
let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('choosing Okta proposes the fixed port 8765 in the Redirect URL; switching to Entra ID takes it back; Discard restores', async ({
  page,
}) => {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  const form = page.getByRole('form', { name: /SSO settings for Acme/ });
  const caption = form.getByLabel('Which port to register');
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
  await expect(caption).toContainText('any port');
  await form.getByLabel('Identity provider').selectOption({ label: 'Okta' });
  await expect(form.getByRole('radio', { name: /Fixed port/ })).toBeChecked();
  await expect(form.getByRole('textbox', { name: 'Fixed port' })).toHaveValue('8765');
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1:8765/callback');
  // The caption says what the field shows: a fixed port, not "any port, a free port for each sign-in".
  await expect(caption).toContainText('fixed port 8765');
  await expect(caption).not.toContainText('any port');
  await expect(caption).not.toContainText('free port');
  await form.getByLabel('Identity provider').selectOption({ label: 'Microsoft Entra ID' });
  await expect(form.getByRole('radio', { name: /Any port/ })).toBeChecked();
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
  await expect(caption).toContainText('any port');
  // A port the admin typed survives a switch of vendor.
  await form.getByRole('radio', { name: /Fixed port/ }).check();
  await form.getByRole('textbox', { name: 'Fixed port' }).fill('9001');
  await form.getByLabel('Identity provider').selectOption({ label: 'Okta' });
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1:9001/callback');
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
});

test('switching preset clears the issuer; "Use the demo IdP" brings the embedded IdP back in one click', async ({
  page,
}) => {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  const form = page.getByRole('form', { name: /SSO settings for Acme/ });
  const issuer = form.getByRole('textbox', { name: 'IdP URL (issuer)' });
  await expect(issuer).toHaveValue(host.ready.idp!);
  await expect(form.getByRole('button', { name: 'Use the demo IdP' })).toHaveCount(0);
  await form.getByLabel('Identity provider').selectOption({ label: 'Okta' });
  await form.getByLabel('Identity provider').selectOption({ label: 'Any OpenID Connect IdP' });
  await expect(issuer).toHaveValue('');
  await form.getByRole('button', { name: 'Use the demo IdP' }).click();
  await expect(issuer).toHaveValue(host.ready.idp!);
  await expect(form.getByLabel('Client ID')).toHaveValue('sso-desk-demo');
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
});
