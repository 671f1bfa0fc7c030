import { test, expect } from './fixtures';

test('Keys: rotation asks in the app who is cut off and when; a grace period keeps the old key working; Try it never offers a replaced key', async ({
  consolePage: page,
}) => {
  test.setTimeout(120_000);
  await page.getByRole('tab', { name: 'Keys' }).click();
  const acme = page.getByRole('table', { name: 'Acme Corp API keys' });
  // Short visible labels, full names for assistive technology.
  await expect(acme.getByRole('button', { name: 'Rotate Helpdesk BotAPISecret' })).toHaveText('Rotate');
  await expect(acme.getByRole('rowheader', { name: 'Bot Helpdesk' })).toBeVisible();
  await expect(acme.getByLabel('Helpdesk BotAPISecret last used')).toHaveText('never');
  const before = (await acme.getByLabel('Helpdesk BotAPISecret last four').textContent())!;

  // Escape closes the confirmation and changes nothing; focus goes back to the button.
  const rotate = acme.getByRole('button', { name: 'Rotate Helpdesk BotAPISecret' });
  await rotate.click();
  const dialog = page.getByRole('alertdialog', { name: 'Rotate Helpdesk BotAPISecret?' });
  await expect(dialog.getByLabel('Who is cut off')).toHaveText(
    `Servers that call POST /authorization/sso with Helpdesk BotAPISecret ${before} for Helpdesk are cut off at once: they get 404 until they use the new key.`,
  );
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(rotate).toBeFocused();
  await expect(acme.getByLabel('Helpdesk BotAPISecret last four')).toHaveText(before);

  await rotate.click();
  await dialog.getByLabel('The old key keeps working').selectOption({ label: '1 hour' });
  await expect(dialog.getByLabel('Who is cut off')).toContainText(/keep working until .+ \(in 1 h\), then get 404/);
  await dialog.getByRole('button', { name: 'Rotate BotAPISecret' }).click();
  const fresh = page.getByRole('region', { name: 'New Helpdesk BotAPISecret' });
  const value = (await fresh.getByLabel('New Helpdesk BotAPISecret value').textContent())!;
  expect(value).toMatch(/^sec_/);
  await expect(acme.getByLabel('Helpdesk BotAPISecret last four')).toHaveText(`••••${value.slice(-4)}`);
  await expect(acme.getByLabel('Helpdesk BotAPISecret previous key')).toContainText(`previous ${before} works until`);
  await expect(page.getByRole('table', { name: 'Demo credentials' })).toContainText('Helpdesk BotAPISecret (replaced');
  await fresh.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByText(value)).toHaveCount(0);

  // Try it: the replaced demo secret is not filled in (it would only work until the grace period ends).
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Deep links' }).click();
  const tryIt = page.getByRole('region', { name: 'Try it' });
  await tryIt.getByLabel('Bot', { exact: true }).selectOption({ label: 'Helpdesk (Acme Corp)' });
  await expect(tryIt.getByLabel('AccountAPIKey', { exact: true })).toHaveValue(/^acc_/);
  await expect(tryIt.getByLabel('BotAPISecret', { exact: true })).toHaveValue('');
  await expect(tryIt.getByRole('note')).toContainText('The demo BotAPISecret of this bot was replaced');
  await expect(tryIt.getByRole('button', { name: 'Issue token' })).toBeDisabled();
  await expect(tryIt.getByText('Paste the missing keys first.')).toBeVisible();
  await tryIt.getByLabel('BotAPISecret', { exact: true }).fill(value);
  await tryIt.getByRole('button', { name: 'Issue token' }).click();
  await expect(tryIt.getByRole('status').first()).toContainText('HTTP 200');

  // A wrong key: words, not a bare 404.
  await tryIt.getByLabel('BotAPISecret', { exact: true }).fill('sec_wrong');
  await tryIt.getByRole('button', { name: 'Issue token' }).click();
  await expect(
    tryIt.getByText(
      /^Not issued: no bot of this account matches this BotAPIKey and BotAPISecret\. A rotated or revoked key reads as not found/,
    ),
  ).toBeVisible();

  // Keys shows the last use of the keys Try it used.
  await page.getByRole('tab', { name: 'Keys' }).click();
  await expect(acme.getByLabel('Helpdesk BotAPISecret last used')).toHaveText(/now|s ago/);
});

test('Try it: demo keys that arrive after the bot was chosen still fill in (the race of a loaded machine)', async ({
  consolePage: page,
}) => {
  // Hold the demo credentials and the key list back until the bot has been chosen.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  for (const name of ['workspace.demoCredentials', 'keys.list']) {
    await page.route(`**/api/ipc/${name}`, async (route) => {
      await held;
      await route.continue();
    });
  }
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Deep links' }).click();
  const tryIt = page.getByRole('region', { name: 'Try it' });
  await tryIt.getByLabel('Bot', { exact: true }).selectOption({ label: 'Helpdesk (Acme Corp)' });
  await expect(tryIt.getByLabel('User', { exact: true })).toHaveValue('ann@acme.test');
  await expect(tryIt.getByLabel('AccountAPIKey', { exact: true })).toHaveValue('');
  await expect(tryIt.getByText('Loading the demo keys…')).toBeVisible();
  release();
  await expect(tryIt.getByLabel('AccountAPIKey', { exact: true })).toHaveValue(/^acc_/);
  await expect(tryIt.getByLabel('BotAPIKey', { exact: true })).toHaveValue(/^bot_/);
  await expect(tryIt.getByLabel('BotAPISecret', { exact: true })).toHaveValue(/^sec_/);
  await tryIt.getByRole('button', { name: 'Issue token' }).click();
  await expect(tryIt.getByRole('status').first()).toContainText('HTTP 200');
});
