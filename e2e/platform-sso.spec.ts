import { test, expect } from './fixtures';

test('Try it issues a token through the real endpoint, and its Home link signs the user in in Chromium', async ({
  consolePage: page,
  host,
  context,
}) => {
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Deep links' }).click();
  const tryIt = page.getByRole('region', { name: 'Try it' });
  await tryIt.getByLabel('Bot', { exact: true }).selectOption({ label: 'Helpdesk (Acme Corp)' });
  // The demo keys fill in; the user defaults to the bot's owner.
  await expect(tryIt.getByLabel('AccountAPIKey', { exact: true })).toHaveValue(/^acc_/);
  await expect(tryIt.getByLabel('User', { exact: true })).toHaveValue('ann@acme.test');
  await tryIt.getByLabel('User', { exact: true }).fill('carol@acme.test');
  await tryIt.getByRole('button', { name: 'Issue token' }).click();
  await expect(tryIt.getByRole('status')).toContainText('HTTP 200');
  await expect(tryIt.getByLabel('curl command')).toContainText(
    `curl -sS -X POST '${host.ready.api}/authorization/sso'`,
  );
  await expect(tryIt.getByLabel('Response body')).toContainText('"Expires": 60');

  // The Inspector picked the Home URL up.
  const details = page.getByRole('region', { name: 'Token details' });
  await expect(details.getByLabel('Status')).toHaveText('active');
  await expect(details.getByLabel('User', { exact: true })).toContainText(
    'Carol Diaz <carol@acme.test> · operator on the team',
  );
  await expect(details.getByLabel('Bot', { exact: true })).toHaveText('Helpdesk');
  await expect(details.getByRole('timer', { name: 'Time left' })).toHaveText(/^(60:00|59:\d\d) left$/);
  const sections = details.getByRole('list', { name: 'Sections' });
  await expect(sections.getByRole('link', { name: 'Conversation' })).toBeVisible();
  await expect(sections.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await expect(sections).toContainText('Settings (needs admin or higher)');
  // The picture in docs/platform-sso.md: refreshed on demand, so that test runs leave the tree clean.
  if (process.env.SSO_DESK_SCREENSHOTS) await page.screenshot({ path: 'docs/img/platform-sso-inspector.png' });

  const [landing] = await Promise.all([
    context.waitForEvent('page'),
    details.getByRole('button', { name: 'Open in browser' }).click(),
  ]);
  await landing.waitForLoadState();
  await expect(landing.getByRole('heading', { level: 1 })).toHaveText('Helpdesk workspace');
  await expect(landing.locator('#user')).toHaveText('Carol Diaz (carol@acme.test)');
  await expect(landing.locator('#section')).toHaveText('Workspace');
  const cookie = (await context.cookies(host.ready.api!)).find((c) => c.name === 'sso_desk_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

  // Same-site navigation keeps the session; a section above the level says which level it needs.
  await landing.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Conversation' }).click();
  await expect(landing.locator('#section')).toHaveText('Conversation');
  await expect(landing.getByRole('definition').filter({ hasText: 'resumed' })).toBeVisible();
  await landing.goto(`${landing.url().replace(/\/conversation$/, '')}/settings`);
  await expect(landing.locator('#reason')).toContainText('Settings needs team level admin or higher');

  await landing.getByRole('link', { name: 'Sign out' }).click();
  await expect(landing.getByRole('heading', { level: 1 })).toHaveText('Signed out');
  await landing.goBack();
  await landing.reload();
  await expect(landing.getByRole('heading', { level: 1 })).toHaveText('Sign-in link revoked');

  await page.getByRole('button', { name: 'Inspect' }).click();
  await expect(details.getByLabel('Status')).toHaveText('revoked');
});

test('Settings > Platform SSO shows the plan gates and switches an account (a draft until Save)', async ({
  consolePage: page,
}) => {
  await page.getByRole('button', { name: 'Platform SSO' }).click();
  const globex = page.getByRole('article', { name: 'Platform SSO of Globex Inc' });
  const ssoLogin = globex.getByRole('switch', { name: 'SSO Login package (Globex Inc)' });
  const embeddable = globex.getByRole('switch', { name: 'Embeddable pages (Globex Inc)' });
  const draftBar = page.getByRole('region', { name: 'Unsaved changes' });
  await expect(embeddable).toBeChecked();
  await expect(draftBar).toBeHidden();
  // SSO Login off in the draft: embeddable goes off with it, and says why it cannot be switched on.
  await ssoLogin.click();
  await expect(ssoLogin).not.toBeChecked();
  await expect(embeddable).not.toBeChecked();
  await expect(embeddable).toBeDisabled();
  await expect(globex).toContainText('switch on the SSO Login package first');
  await expect(globex.getByRole('heading', { name: /Globex Inc/ })).toContainText('not saved yet');
  await draftBar.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('form', { name: 'Platform SSO switches' }).getByRole('status')).toHaveText(
    'Saved. Globex Inc: SSO Login off, embeddable off.',
  );
  await expect(globex).not.toContainText('not saved yet');
  await expect(draftBar).toBeHidden();
  await expect(embeddable).toBeDisabled();

  await ssoLogin.click();
  await expect(ssoLogin).toBeChecked();
  await expect(embeddable).toBeEnabled();
  await expect(embeddable).not.toBeChecked();
  await embeddable.click();
  await draftBar.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('form', { name: 'Platform SSO switches' }).getByRole('status')).toHaveText(
    'Saved. Globex Inc: SSO Login on, embeddable on.',
  );
  await expect(ssoLogin).toBeChecked();
  await expect(embeddable).toBeChecked();
  // What was saved is what the list says after a reload.
  await page.reload();
  await expect(page.getByRole('status', { name: 'Status' })).toContainText('Store healthy');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Platform SSO' }).click();
  await expect(ssoLogin).toBeChecked();
  await expect(embeddable).toBeChecked();
});
