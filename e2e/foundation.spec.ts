import { test, expect } from './fixtures';

test('the console opens, navigates every screen and shows app.info', async ({ consolePage: page, host }) => {
  // app.info on screen: the data folder and the demo IdP's URLs in words; the schema version and row counts
  // only under "Technical details".
  await expect(page.getByRole('status', { name: 'Status' })).toContainText(host.dataDir);
  await expect(page.getByRole('status', { name: 'Status' })).not.toContainText('schema');
  const demoIdp = page.getByRole('definition').filter({ hasText: '/.well-known/openid-configuration' });
  await expect(demoIdp).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'sso-desk-demo' })).toBeVisible();
  await expect(page.getByLabel('Schema version')).toBeHidden();
  await expect(page.getByRole('table', { name: 'Row counts' })).toBeHidden();
  await page.getByText('Technical details').click();
  const info = page.getByRole('definition').filter({ hasText: 'sso-desk.sqlite' });
  await expect(info).toBeVisible();
  await expect(page.getByLabel('Schema version')).toHaveText(/^\d+$/);
  const counts = page.getByRole('table', { name: 'Row counts' });
  await expect(counts.getByRole('row', { name: /accounts 2/ })).toBeVisible();
  await expect(counts.getByRole('row', { name: /users 6/ })).toBeVisible();
  // The key left the address bar once read.
  expect(page.url()).not.toContain('key=');

  for (const name of ['Simulator', 'Inspector', 'Audit', 'Keys', 'Settings']) {
    await page.getByRole('tab', { name }).click();
    await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name })).toBeVisible();
  }
  await page.getByRole('tab', { name: 'Keys' }).click();
  await expect(page.getByRole('table', { name: 'Demo credentials' })).toContainText('Acme Corp AccountAPIKey');

  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByRole('article', { name: 'Acme Corp' })).toContainText('enterprise');
  await expect(page.getByRole('table', { name: 'Members of Globex Inc' })).toContainText('dana@example.test');
});

test('a contract call without the key, with a wrong key or from a foreign origin is refused', async ({
  consolePage: page,
  host,
}) => {
  const origin = new URL(host.ready.console).origin;
  const noKey = await page.evaluate(async () => {
    const r = await fetch('/api/ipc/app.info', { method: 'POST' });
    return { status: r.status, body: await r.json() };
  });
  expect(noKey.status).toBe(401);
  expect(noKey.body.error.code).toBe('no_key');

  const wrongKey = await page.evaluate(async () => {
    const r = await fetch('/api/ipc/app.info', { method: 'POST', headers: { 'x-sso-desk-key': 'nope' } });
    return r.status;
  });
  expect(wrongKey).toBe(401);

  // A page on another origin (here: the Platform API's port) cannot call the console.
  await page.goto(`${host.ready.api}/health`);
  const foreign = await page.evaluate(async (o) => {
    try {
      const r = await fetch(`${o}/api/ipc/app.info`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '',
      });
      return r.status;
    } catch {
      return 'blocked';
    }
  }, origin);
  // Either the server refuses it (403) or the browser blocks reading the answer: never a 200 with data.
  expect(foreign === 403 || foreign === 'blocked').toBe(true);
});

test('import a workspace file from the console, and see a bad field named', async ({ consolePage: page }) => {
  const good = {
    format: 'sso-desk/workspace@1',
    accounts: [{ id: 'initech', name: 'Initech', plan: 'pro', packages: ['sso-login'] }],
    users: [{ email: 'peter@initech.test', name: 'Peter Gibbons', password: 'tps-reports-2026' }],
    memberships: [{ account: 'initech', email: 'peter@initech.test', role: 'owner' }],
  };
  const chooser = page.getByLabel('Import workspace file');
  await chooser.setInputFiles({
    name: 'ws.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(good)),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 account,' })).toBeVisible();
  await page.getByText('Technical details').click();
  await expect(page.getByRole('table', { name: 'Row counts' }).getByRole('row', { name: /accounts 3/ })).toBeVisible();

  // The same file again is refused and changes nothing.
  await chooser.setInputFiles({
    name: 'ws.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(good)),
  });
  await expect(page.getByRole('alert')).toContainText('accounts[0].id: account "initech" already exists');

  const bad = { ...good, accounts: [{ ...good.accounts[0], id: 'other', plan: 'platinum' }] };
  await chooser.setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  await expect(page.getByRole('alert')).toContainText('accounts[0].plan: expected one of free, pro, enterprise');
});

test('the theme preference is kept in the data dir across reloads', async ({ consolePage: page }) => {
  await page.getByLabel('Theme').selectOption('dark');
  // A preference, not a setting: it applies at once, with no Save.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('region', { name: 'Unsaved changes' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(20, 23, 29)');
});

test('the account last chosen is kept across screens and reloads (preferences)', async ({ consolePage: page }) => {
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  await page.getByLabel('Account').selectOption('globex');
  await page.reload();
  await page.getByRole('button', { name: 'External user authentication' }).click();
  await expect(page.getByLabel('Account')).toHaveValue('globex');
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  await expect(page.getByLabel('Account')).toHaveValue('globex');
});
