import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { startHost, type RunningHost } from './host';

/** Settings › Security › SSO: the fixed redirect port, client authentication and user claim, by keyboard-usable controls. */
let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('a fixed redirect port shows in the Redirect URL and is saved; a port out of range is refused with the field named', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  const form = page.getByRole('form', { name: /SSO settings for Acme/ });
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
  await form.getByRole('radio', { name: /Fixed port/ }).check();
  await form.getByRole('textbox', { name: 'Fixed port' }).fill('80');
  await expect(form.getByText('a fixed port must be a whole number from 1024 to 65535')).toBeVisible();
  await form.getByRole('textbox', { name: 'Fixed port' }).fill('8765');
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1:8765/callback');
  await form.getByRole('combobox', { name: 'Client authentication' }).selectOption('client_secret_basic');
  await form.getByRole('combobox', { name: 'Claim that identifies the user' }).selectOption('preferred_username');
  await form.locator('#sso-client-secret').fill('a-client-secret-value');
  // With SSO on, an untested edit is refused (sso-live-edit.spec.ts); these fields are saved with SSO off.
  await form.getByRole('switch', { name: 'SSO' }).uncheck();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Saved: client_secret_basic, as chosen.')).toBeVisible();
  await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1:8765/callback');
  const axe = await new AxeBuilder({ page }).include('form').analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  if (process.env.UPDATE_DOCS_IMG) await page.screenshot({ path: 'docs/img/sso-client-fields.png', fullPage: true });
});
