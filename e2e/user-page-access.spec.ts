import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

test.describe.configure({ timeout: 180_000 });

/**
 * Issue #23, point 4: the user page is where support acts. A failed login shows in Lockouts with the
 * throttle's own numbers, and clearing it is one button; a member is deactivated and reactivated there;
 * the Users list shows each user's status and where they came from.
 */
test('the user page: lockouts with their numbers and one Unlock, Deactivate and Reactivate; the list shows status and source', async ({
  consolePage: page,
  host,
}) => {
  // Erin (Globex, external authentication) types a wrong password once, at the Platform API.
  const wrong = await fetch(`${host.ready.api}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'erin@globex.test', password: 'not-her-password' }),
  });
  expect(wrong.status).toBe(401);

  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Directory' }).click();
  await page.getByRole('tab', { name: 'Users' }).click();
  await expect(
    page.getByRole('button', { name: /Erin Park, erin@globex\.test, active, SSO Desk: open/ }),
  ).toBeVisible();
  await page.getByRole('button', { name: /Erin Park, erin@globex\.test/ }).click();
  await expect(page.getByRole('heading', { name: 'Erin Park (erin@globex.test)' })).toBeFocused();

  const lockouts = page.getByRole('region', { name: 'Lockouts' });
  const counts = lockouts.getByRole('table', { name: 'Login protection counts of erin@globex.test' });
  // Default numbers: locked at the 10th failure, so 9 failed attempts are left after one.
  await expect(counts.getByRole('row', { name: /Password login erin@globex\.test 1/ })).toContainText(
    '9 failed attempts left before the lock',
  );
  await lockouts.getByRole('button', { name: 'Clear the counts of erin@globex.test' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Unlocked erin@globex.test' })).toBeVisible();
  await expect(lockouts).toContainText('No failed sign-ins are counted for erin@globex.test.');

  const accounts = page.getByRole('table', { name: 'Accounts of erin@globex.test' });
  await accounts.getByRole('button', { name: 'Deactivate erin@globex.test in Globex Inc' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'their sessions and deep links there have ended' }),
  ).toBeVisible();
  await expect(accounts.getByRole('row', { name: /Globex Inc/ })).toContainText('Deactivated by an admin');
  await expect(page.getByRole('region', { name: 'Lockouts' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).include('article').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  await page.getByRole('button', { name: '← All users' }).click();
  await expect(
    page.getByRole('button', { name: /Erin Park, erin@globex\.test, deactivated, SSO Desk: open/ }),
  ).toBeVisible();
  await page.getByRole('button', { name: /Erin Park, erin@globex\.test/ }).click();
  await accounts.getByRole('button', { name: 'Reactivate erin@globex.test in Globex Inc' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'they can sign in again' })).toBeVisible();
  await expect(accounts.getByRole('row', { name: /Globex Inc/ })).toContainText('Active');
});

/**
 * Issue #23, point 4: support acts on the user page. Carol's deep link into Helpdesk and Erin's login
 * session are revoked there (over HTTP they stop working); a membership is added, its role changed and
 * removed, each answered in words.
 */
test('the user page: deep links and sessions with Revoke; memberships added, role changed, removed', async ({
  consolePage: page,
  host,
}) => {
  // The demo keys, as Try it fills them in.
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Deep links' }).click();
  const tryIt = page.getByRole('region', { name: 'Try it' });
  await tryIt.getByLabel('Bot', { exact: true }).selectOption({ label: 'Helpdesk (Acme Corp)' });
  await expect(tryIt.getByLabel('AccountAPIKey', { exact: true })).toHaveValue(/^acc_/);
  const keys = {
    AccountAPIKey: await tryIt.getByLabel('AccountAPIKey', { exact: true }).inputValue(),
    BotAPIKey: await tryIt.getByLabel('BotAPIKey', { exact: true }).inputValue(),
    BotAPISecret: await tryIt.getByLabel('BotAPISecret', { exact: true }).inputValue(),
  };
  const post = (path: string, body: unknown) =>
    fetch(`${host.ready.api}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const issued = await post('/authorization/sso', { ...keys, Email: 'carol@acme.test' });
  expect(issued.status).toBe(200);
  const { Home } = (await issued.json()) as { Home: string };
  expect((await fetch(Home, { redirect: 'manual' })).status).toBe(200);

  // Erin signs in with the demo password (Globex checks it at the demo service).
  await page.getByRole('tab', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Show Password of every demo user' }).click();
  const password = (await page.getByLabel('Password of every demo user value').textContent())!.trim();
  const login = await post('/auth/login', { email: 'erin@globex.test', password });
  expect(login.status).toBe(200);
  const { session } = (await login.json()) as { session: { token: string } };
  const sessionStatus = async () =>
    (await fetch(`${host.ready.api}/auth/session`, { headers: { Authorization: `Bearer ${session.token}` } })).status;
  expect(await sessionStatus()).toBe(200);

  const openUser = async (name: RegExp) => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('button', { name: 'Directory' })
      .click();
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('button', { name }).click();
  };

  // Carol: her deep link, with Revoke; it no longer opens.
  await openUser(/Carol Diaz, carol@acme\.test/);
  const links = page.getByRole('region', { name: 'Deep links' });
  const table = links.getByRole('table', { name: 'Deep links of carol@acme.test' });
  await expect(table.getByRole('row', { name: /Acme Corp Helpdesk/ })).toBeVisible();
  await table.getByRole('button', { name: /^Revoke deep link into Helpdesk issued / }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Revoked the deep link into Helpdesk' })).toBeVisible();
  await expect(links).toContainText('No unexpired deep links of carol@acme.test.');
  expect((await fetch(Home, { redirect: 'manual' })).status).not.toBe(200);

  // Memberships: add Carol to Globex as a member, make her an admin there, then remove her.
  const accounts = page.getByRole('table', { name: 'Accounts of carol@acme.test' });
  const add = page.getByRole('form', { name: 'Add carol@acme.test to an account' });
  await add.getByLabel('Add to account').selectOption({ label: 'Globex Inc' });
  await add.getByLabel('Role').selectOption('member');
  await add.getByRole('button', { name: 'Add membership' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Added carol@acme.test to Globex Inc as member.' }),
  ).toBeVisible();
  await expect(accounts.getByRole('row', { name: /Globex Inc/ })).toBeVisible();
  await accounts.getByLabel('Role of carol@acme.test in Globex Inc').selectOption('admin');
  await expect(
    page.getByRole('status').filter({ hasText: 'carol@acme.test is now admin in Globex Inc.' }),
  ).toBeVisible();
  await expect(accounts.getByLabel('Role of carol@acme.test in Globex Inc')).toHaveValue('admin');
  await accounts.getByRole('button', { name: 'Remove carol@acme.test from Globex Inc' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove from Globex Inc' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Removed carol@acme.test from Globex Inc' })).toBeVisible();
  await expect(accounts.getByRole('row', { name: /Globex Inc/ })).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).include('article').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Erin: her login session, with Revoke; GET /auth/session answers 401 after.
  await page.getByRole('button', { name: '← All users' }).click();
  await page.getByRole('button', { name: /Erin Park, erin@globex\.test/ }).click();
  const sessions = page.getByRole('table', { name: 'Open sessions of erin@globex.test' });
  await sessions.getByRole('button', { name: /^Revoke Password login session in Globex Inc/ }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Revoked the password login session in Globex Inc.' }),
  ).toBeVisible();
  expect(await sessionStatus()).toBe(401);
});
