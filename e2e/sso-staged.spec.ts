import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { startHost, type RunningHost } from './host';

/**
 * Issue #23, point 2: staged enforcement. The admin requires SSO for Acme's admins first: the section
 * and the switch-on dialog say who moves to SSO and who keeps a password, and after Save the API refuses
 * the admin's password while a member not in the stage still signs in with hers.
 */
let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

async function demoPassword(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Show Password of every demo user' }).click();
  const password = (await page.getByLabel('Password of every demo user value').textContent())!.trim();
  expect(password).toMatch(/^demo-/);
  return password;
}

async function openSso(page: Page) {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  await page.getByLabel('Account', { exact: true }).selectOption({ label: 'Acme Corp (enterprise)' });
  return page.getByRole('form', { name: 'SSO settings for Acme Corp' });
}

const login = (email: string, password: string) =>
  fetch(`${host.ready.api}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

test('SSO for admins first: the dialog lists who moves and who keeps a password; the API then refuses only them', async ({
  page,
}) => {
  await page.goto(host.ready.console);
  const password = await demoPassword(page);
  const form = await openSso(page);
  const bar = page.getByRole('region', { name: 'Unsaved changes' });

  // The demo has SSO on for everyone: switch it off first, to switch it on again in stages.
  await form.getByRole('switch', { name: 'SSO' }).uncheck();
  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('region', { name: 'Save result' })).toContainText('Saved. SSO is off for Acme Corp');
  expect((await login('carol@acme.test', password)).status).toBe(200);

  await form.getByRole('switch', { name: 'SSO' }).check();
  const who = form.getByRole('region', { name: 'Who needs SSO' });
  await expect(who.getByRole('radio', { name: 'Everyone in Acme Corp' })).toBeChecked();
  await who.getByRole('radio', { name: /A first stage/ }).check();
  await who.getByRole('checkbox', { name: 'Admins' }).check();
  const lists = who.getByRole('region', { name: 'Who moves to SSO' });
  await expect(lists).toContainText('SSO is required for admins once saved.');
  await expect(lists.getByRole('list', { name: 'Move to SSO' })).toHaveText('bob@acme.test');
  const keeping = lists.getByRole('list', { name: 'Keep their password' });
  await expect(keeping).toContainText('carol@acme.test — not in the first stage (admins)');
  await expect(keeping.getByRole('listitem')).toHaveCount(3);
  await expect(form.getByRole('region', { name: 'Before SSO is switched on' })).toContainText(
    'takes password login away from 1 user of Acme Corp',
  );

  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('region', { name: 'Test connection results' })).toContainText('Connection OK');
  await bar.getByRole('button', { name: 'Save' }).click();

  const dialog = page.getByRole('alertdialog', { name: 'Switch SSO on for Acme Corp?' });
  await expect(dialog).toContainText('1 user of Acme Corp lose password login');
  await expect(dialog).toContainText('(SSO is required for admins first)');
  await expect(dialog.getByRole('list', { name: 'Move to SSO' })).toHaveText('bob@acme.test');
  await expect(dialog.getByRole('list', { name: 'Keep their password' })).toContainText('ann@acme.test');
  await expect(dialog.getByRole('list', { name: 'Keep their password' })).toContainText('dana@example.test');
  const axe = await new AxeBuilder({ page }).include('[role="alertdialog"]').analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await dialog.getByRole('button', { name: 'Switch SSO on: 1 user lose password login' }).click();

  await expect(page.getByRole('region', { name: 'Save result' })).toContainText(
    'Saved. SSO is on for Acme Corp: password login is refused for admins (1 now); the others keep their password',
  );
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is on for Acme Corp');
  await expect(who).toContainText('SSO is required for admins.');
  const formAxe = await new AxeBuilder({ page }).include('form').analyze();
  expect(formAxe.violations.map((v) => v.id)).toEqual([]);

  // Over HTTP: the admin in the stage is refused a password login; a member outside it signs in with hers.
  const bob = await login('bob@acme.test', password);
  expect(bob.status).not.toBe(200);
  expect(JSON.stringify(await bob.json())).toContain('sso_required');
  const carol = await login('carol@acme.test', password);
  expect(carol.status).toBe(200);
  expect(await carol.json()).toMatchObject({ status: 'authenticated' });
});
