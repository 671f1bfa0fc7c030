import { test, expect } from './fixtures';

/**
 * Sign-in logs in the console: attempts made through the Platform API's `POST /auth/login` appear one a
 * row, in words; filters narrow them; a row opens its steps, the user's page and a Simulator re-run.
 */
test('sign-in logs: rows in words, filters, the steps, the user page and a Simulator re-run', async ({
  homePage: page,
  host,
}) => {
  const login = (email: string, password: string, account?: string) =>
    fetch(`${host.ready.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, ...(account ? { account } : {}), device: { name: 'Frank’s laptop' } }),
    });
  expect((await login('frank@globex.test', 'not-franks-password', 'globex')).status).toBe(401);
  expect((await login('nobody@acme.test', 'whatever')).status).toBe(401);

  await page.getByRole('tab', { name: 'Sign-in logs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign-in logs' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Sign-in attempts' });
  await expect(list.getByRole('button')).toHaveCount(2);
  await expect(list).toContainText('nobody@acme.test');
  await expect(list).toContainText('External authentication');
  await expect(list).toContainText('Failure');
  // One date format, the exact time on hover.
  const time = list.locator('time').first();
  await expect(time).toHaveAttribute('title', /\d{1,2}:\d{2}:\d{2}/);

  await page.getByRole('searchbox', { name: 'User' }).fill('frank@globex.test');
  await expect(list.getByRole('button')).toHaveCount(1);
  await page.getByLabel('Method').selectOption({ label: 'External authentication' });
  await page.getByLabel('Result').selectOption('failure');
  await expect(list.getByRole('button')).toHaveCount(1);
  await page.getByLabel('Result').selectOption('success');
  await expect(page.getByText('No sign-in attempts match these filters.')).toBeVisible();
  await page.getByLabel('Result').selectOption('');

  await list.getByRole('button').first().click();
  const detail = page.getByRole('article', { name: 'Sign-in attempt' });
  await expect(detail).toBeFocused();
  await expect(detail).toContainText('Sign-in failed · frank@globex.test');
  await expect(detail).toContainText('Globex Inc');
  await expect(detail).toContainText('Correlation ID');
  await expect(detail).not.toContainText('not-franks-password');
  await expect(detail.getByRole('list', { name: 'Steps' })).toBeVisible();

  await detail.getByRole('button', { name: 'Open user page' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /frank@globex\.test/ })).toBeVisible();
  await page.getByRole('button', { name: '← All users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign-in logs' })).toBeVisible();

  await list.getByRole('button').first().click();
  await detail.getByRole('button', { name: 'Re-run in Simulator' }).click();
  await expect(page.getByRole('tab', { name: 'Simulator' })).toHaveAttribute('aria-selected', 'true');
  const form = page.getByRole('form', { name: 'Replay a login' });
  await expect(form.getByLabel('Email')).toHaveValue('frank@globex.test');
  await expect(form.getByLabel('Account')).toHaveValue('globex');
  await expect(form.getByLabel('Device name')).toHaveValue('Frank’s laptop');
  await expect(form.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
});
