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
