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
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
  await form.getByLabel('Identity provider').selectOption({ label: 'Okta' });
  await expect(form.getByRole('radio', { name: /Fixed port/ })).toBeChecked();
  await expect(form.getByRole('textbox', { name: 'Fixed port' })).toHaveValue('8765');
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1:8765/callback');
  await form.getByLabel('Identity provider').selectOption({ label: 'Microsoft Entra ID' });
  await expect(form.getByRole('radio', { name: /Any port/ })).toBeChecked();
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
  // A port the admin typed survives a switch of vendor.
  await form.getByRole('radio', { name: /Fixed port/ }).check();
  await form.getByRole('textbox', { name: 'Fixed port' }).fill('9001');
  await form.getByLabel('Identity provider').selectOption({ label: 'Okta' });
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1:9001/callback');
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
});
