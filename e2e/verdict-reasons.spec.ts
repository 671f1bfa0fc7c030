import { test, expect } from './fixtures';

/**
 * Issue #23, point 6: every verdict names the real reason, once. Carol (Acme, SSO, on Helpdesk's team)
 * is deactivated: the Simulator says so (not "type the password"), Try it leads with "deactivated"
 * rather than "not on the bot's team", and the verdict carries a single "Failed:".
 */
test('a deactivated member: the Simulator and Try it both say deactivated, with one "Failed:"', async ({
  consolePage: page,
}) => {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Directory' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: /Carol Diaz, carol@acme\.test/ }).click();
  await page
    .getByRole('table', { name: 'Accounts of carol@acme.test' })
    .getByRole('button', { name: 'Deactivate carol@acme.test in Acme Corp' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'Deactivated carol@acme.test in Acme Corp' })).toBeVisible();

  // The Simulator: deactivated, before any password is asked for; one "Failed:".
  await page.getByRole('tab', { name: 'Simulator' }).click();
  const form = page.getByRole('form', { name: 'Replay a login' });
  await form.getByLabel('Account').selectOption({ label: 'Acme Corp' });
  await form.getByLabel('Email').fill('carol@acme.test');
  await form.getByRole('button', { name: 'Run' }).click();
  const outcome = page.getByRole('article', { name: 'Run' }).getByRole('alert', { name: 'Outcome' });
  await expect(outcome).toContainText('Failed: carol@acme.test is deactivated in Acme Corp');
  expect((await outcome.textContent())!.match(/failed/gi)).toHaveLength(1);
  await expect(outcome).not.toContainText('type the password');

  // Try it: the audit's real reason leads; the API's "not on its team" answer stays in the body only.
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Deep links' }).click();
  const tryIt = page.getByRole('region', { name: 'Try it' });
  await tryIt.getByLabel('Bot', { exact: true }).selectOption({ label: 'Helpdesk (Acme Corp)' });
  await expect(tryIt.getByLabel('AccountAPIKey', { exact: true })).toHaveValue(/^acc_/);
  await tryIt.getByLabel('User', { exact: true }).fill('carol@acme.test');
  await tryIt.getByRole('button', { name: 'Issue token' }).click();
  const result = tryIt.getByLabel('Try it result');
  await expect(result.getByRole('status')).toContainText('Refused: HTTP 404');
  await expect(result.getByText(/^Not issued: /)).toHaveText(
    'Not issued: carol@acme.test is deactivated in account "Acme Corp".',
  );
  await expect(result.getByLabel('Why, from the audit')).toContainText('carol@acme.test is deactivated');
});
