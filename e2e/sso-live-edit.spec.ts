import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { startHost, type RunningHost } from './host';

/**
 * Issue #23: the demo's Acme Corp has SSO on through the embedded IdP. An admin edits the IdP while
 * SSO is on, as the admin did: an IdP this computer cannot reach is refused with the reason,
 * shown in the save bar that was pressed, and nothing is saved (nobody is locked out). A tested change
 * of scopes saves; "Revert to last working" then puts the previous settings back in one step.
 */
let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

async function openSso(page: Page) {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  await page.getByLabel('Account', { exact: true }).selectOption({ label: 'Acme Corp (enterprise)' });
  const form = page.getByRole('form', { name: 'SSO settings for Acme Corp' });
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is on for Acme Corp');
  return form;
}

test('an IdP that failed Test connection is refused while SSO is on; the reason shows in the save bar; nothing saved', async ({
  page,
}) => {
  const form = await openSso(page);
  await form.getByLabel('IdP URL (issuer)').fill('http://127.0.0.1:1');
  const gates = form.getByRole('region', { name: 'Before this change is saved' });
  await expect(gates).toContainText('✗ Test connection has not passed for these settings yet');
  await expect(gates).toContainText('✗ A new IdP or client: do a Test sign-in through these settings');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('region', { name: 'Test connection results' })).toContainText(
    'this computer cannot reach the IdP',
  );

  const bar = page.getByRole('region', { name: 'Unsaved changes' });
  await bar.getByRole('button', { name: 'Save' }).click();
  const refusal = bar.getByRole('alert');
  await expect(refusal).toContainText('Not saved: the Test connection of these settings failed');
  await expect(refusal).toContainText('SSO stays on for Acme Corp with the saved settings; nothing was saved.');
  // The answer is where the admin is looking: inside the viewport, next to the Save button.
  await expect(refusal).toBeInViewport();

  // Nothing was saved: a fresh look shows the embedded IdP, SSO on.
  await bar.getByRole('button', { name: 'Discard' }).click();
  await page.reload();
  const again = await openSso(page);
  await expect(again.getByLabel('IdP URL (issuer)')).toHaveValue(host.ready.idp!);
});

test('a tested change of scopes saves; Revert to last working restores the settings before it in one step', async ({
  page,
}) => {
  const form = await openSso(page);
  await expect(form.getByRole('region', { name: 'Last working settings' })).toHaveCount(0);
  await form.getByLabel('Scopes').fill('openid email');
  const bar = page.getByRole('region', { name: 'Unsaved changes' });
  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(bar.getByRole('alert')).toContainText('run Test connection on exactly these settings first');

  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('region', { name: 'Test connection results' })).toContainText('Connection OK');
  await expect(form.getByRole('region', { name: 'Before this change is saved' })).toContainText(
    '✓ Test connection passed for these settings',
  );
  await bar.getByRole('button', { name: 'Save' }).click();
  const result = page.getByRole('region', { name: 'Save result' });
  await expect(result.getByRole('status')).toContainText('Saved. SSO is on for Acme Corp');
  await expect(result).toBeInViewport();
  await expect(form.getByLabel('Scopes')).toHaveValue('openid email');

  const kept = form.getByRole('region', { name: 'Last working settings' });
  await expect(kept).toContainText(`users signed in through ${host.ready.idp}`);
  const axe = await new AxeBuilder({ page }).include('form').analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await kept.getByRole('button', { name: 'Revert to last working' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revert to last working' }).click();
  await expect(result.getByRole('status')).toContainText('Reverted. Acme Corp signs in through');
  await expect(form.getByLabel('Scopes')).toHaveValue('openid email profile');
  await expect(kept).toHaveCount(0);
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is on for Acme Corp');
});
