import { test, expect } from './fixtures';

test.describe.configure({ timeout: 4 * 60_000 });

/**
 * One confirmation dialog in the whole console (components/ui/ConfirmDialog): an in-app alertdialog,
 * Cancel focused first, Escape closes it and changes nothing, focus returns to the button that asked.
 */
test('the Inspector and the directory ask through the same in-app dialog: Escape closes, focus returns', async ({
  consolePage: page,
}) => {
  // Inspector › Deep links: revoking a token asks in the app (it was a native confirm()).
  let native = false;
  page.on('dialog', (d) => {
    native = true;
    void d.dismiss();
  });
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Deep links' }).click();
  const tryIt = page.getByRole('region', { name: 'Try it' });
  await tryIt.getByLabel('Bot', { exact: true }).selectOption({ label: 'Helpdesk (Acme Corp)' });
  await expect(tryIt.getByLabel('AccountAPIKey', { exact: true })).toHaveValue(/^acc_/);
  await tryIt.getByRole('button', { name: 'Issue token' }).click();
  const details = page.getByRole('region', { name: 'Token details' });
  await expect(details.getByLabel('Status')).toHaveText('active');
  const revoke = details.getByRole('button', { name: 'Revoke token' });
  await revoke.click();
  const ask = page.getByRole('alertdialog', { name: 'Revoke this token?' });
  await expect(ask).toContainText('Its links stop working');
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(revoke).toBeFocused();
  await expect(details.getByLabel('Status')).toHaveText('active');
  await revoke.click();
  await ask.getByRole('button', { name: 'Revoke token' }).click();
  await expect(details.getByLabel('Status')).toHaveText('revoked');
  expect(native).toBe(false);

  // Directory › user page: deleting a user asks in the same dialog.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Directory' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: /Dana Kim, dana@example\.test/ }).click();
  const del = page.getByRole('button', { name: 'Delete dana@example.test…' });
  await del.click();
  const delAsk = page.getByRole('alertdialog', { name: 'Delete dana@example.test?' });
  await expect(delAsk).toContainText('This cannot be undone');
  await expect(delAsk.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(delAsk).toHaveCount(0);
  await expect(del).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Dana Kim (dana@example.test)' })).toBeVisible();

  // Both dialogs are the one component: same class, same structure.
  await del.click();
  await expect(page.locator('[role="alertdialog"].dialog')).toHaveCount(1);
  await delAsk.getByRole('button', { name: 'Cancel' }).click();
  await expect(del).toBeFocused();
  expect(native).toBe(false);
});
