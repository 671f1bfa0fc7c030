import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { startHost, type RunningHost } from './host';

// A small workspace without passwords: the host starts without the demo's scrypt work, which on a
// loaded machine can take longer than the host's start-up limit.
function workspaceFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sso-desk-prov-')), 'workspace.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'sso-desk/workspace@1',
      accounts: [{ id: 'acme', name: 'Acme Corp', plan: 'enterprise', packages: ['sso-login', 'enterprise-toolkit'] }],
      users: [
        { email: 'ann@acme.test', name: 'Ann Lee' },
        { email: 'carol@acme.test', name: 'Carol Diaz' },
      ],
      memberships: [
        { account: 'acme', email: 'ann@acme.test', role: 'owner' },
        { account: 'acme', email: 'carol@acme.test', role: 'member' },
      ],
      bots: [
        {
          id: 'helpdesk',
          account: 'acme',
          name: 'Helpdesk',
          owner: 'ann@acme.test',
          team: [{ email: 'carol@acme.test', level: 'operator' }],
        },
      ],
    }),
  );
  return file;
}

const shots = Boolean(process.env.SSO_DESK_SCREENSHOTS);

// Scoped to this screen (and its dialog): the app shell's own findings (landmarks around #screen) belong
// to the shell, not to Settings › Provisioning.
const PANEL = 'section[aria-labelledby="prov-title"]';

async function axeClean(page: Page, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('Settings › Provisioning: switch, token shown once, an IdP provisions, group → team, Test provisioning, rotate by keyboard, the log in Audit', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const host: RunningHost = await startHost(['--import', workspaceFile()]);
  try {
    await page.goto(host.ready.console);
    await expect(page.getByRole('status', { name: 'Status' })).toContainText('Store healthy');
    await flow(page, host);
  } finally {
    await host.stop();
  }
});

async function flow(page: Page, host: RunningHost): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Provisioning' })
    .click();
  const panel = page.getByRole('region', { name: 'Provisioning' });
  await panel.getByLabel('Account').selectOption({ label: 'Acme Corp (enterprise)' });
  await expect(panel.getByRole('textbox', { name: 'SCIM base URL' })).toHaveValue(`${host.ready.api}/scim/v2`);
  await expect(panel.getByText('No token: the IdP is refused until you create one.')).toBeVisible();

  // Switch on (the demo's Acme has the Enterprise plan and toolkit), then create the token.
  const toggle = panel.getByRole('switch', { name: 'Provisioning for Acme Corp' });
  await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(panel).toContainText('on, not saved yet');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').first()).toContainText('Provisioning on for Acme Corp');
  await expect(panel).not.toContainText('not saved yet');
  await panel.getByRole('button', { name: 'Create token' }).click();
  const tokenField = panel.getByRole('textbox', { name: 'New bearer token (shown once)' });
  await expect(tokenField).toHaveValue(/^scim_/);
  const token = await tokenField.inputValue();
  await axeClean(page, PANEL);
  if (shots) await page.screenshot({ path: 'docs/img/provisioning-token.png', fullPage: true });

  // The IdP (here: this test, as Okta) provisions a user and a group with the token.
  const scim = (method: string, path: string, body?: unknown) =>
    fetch(`${host.ready.api}/scim/v2${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/scim+json',
        'User-Agent': 'Okta SCIM Client 1.0.0',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const user = (await (
    await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'newhire@acme.test',
      name: { givenName: 'New', familyName: 'Hire' },
    })
  ).json()) as { id: string };
  expect(
    (
      await scim('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Helpdesk operators',
        members: [{ value: user.id }],
      })
    ).status,
  ).toBe(201);

  // Map the group to the Helpdesk team as operator, by keyboard.
  const group = panel.getByLabel('Group name');
  await group.focus();
  await page.keyboard.type('Helpdesk operators');
  await panel.getByLabel('Bot', { exact: true }).selectOption({ label: 'Helpdesk' });
  await panel.getByLabel('Level').selectOption('operator');
  await group.press('Enter');
  await expect(panel.getByRole('list', { name: 'Group-to-team mappings' })).toContainText(
    '“Helpdesk operators” → Helpdesk as operator — not saved yet',
  );
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').first()).toContainText('“Helpdesk operators” → Helpdesk as operator');
  await expect(panel.getByRole('list', { name: 'Group-to-team mappings' })).not.toContainText('not saved yet');

  // Test provisioning: every step of both vendors passes, and the temporary user and group are gone.
  await panel.getByRole('button', { name: 'Test provisioning' }).click();
  await expect(panel.getByRole('status').filter({ hasText: /steps passed/ })).toContainText(/All \d+ steps passed\./, {
    timeout: 30_000,
  });
  await expect(panel.getByRole('list', { name: 'Test provisioning steps' })).toContainText(
    'Microsoft Entra ID · Test connection',
  );
  await expect(panel.getByRole('list', { name: 'Test provisioning steps' })).toContainText(
    'cleanup · Delete the temporary user',
  );
  await axeClean(page, PANEL);
  if (shots) await page.screenshot({ path: 'docs/img/provisioning-test.png', fullPage: true });

  // The vendor steps are keyboard tabs.
  const okta = panel.getByRole('tab', { name: 'Okta' });
  await panel.getByRole('tab', { name: 'Microsoft Entra ID' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(okta).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('tabpanel')).toContainText('SCIM connector base URL');
  if (shots)
    await panel
      .getByRole('article')
      .filter({ hasText: 'Set up your identity provider' })
      .screenshot({ path: 'docs/img/provisioning-okta.png' });
  await panel.getByRole('tab', { name: 'Microsoft Entra ID' }).click();
  if (shots)
    await panel
      .getByRole('article')
      .filter({ hasText: 'Set up your identity provider' })
      .screenshot({ path: 'docs/img/provisioning-entra.png' });

  // Rotate by keyboard: the dialog asks, Escape cancels, Enter on Rotate confirms; the old token is refused.
  await panel.getByRole('button', { name: 'Rotate token' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Rotate the provisioning token?' });
  await expect(dialog).toBeVisible();
  await axeClean(page, '[role="alertdialog"]');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Rotate token' })).toBeFocused();
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Rotate' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('textbox', { name: 'New bearer token (shown once)' })).not.toHaveValue(token);
  expect((await scim('GET', '/Users')).status).toBe(401);

  // The provisioning log: the Audit screen filters on the SCIM requests.
  await page.getByRole('tab', { name: 'Audit' }).click();
  await page.getByLabel('Method').selectOption('scim');
  await expect(page.getByText(/POST \/scim\/v2\/Users → 201/).first()).toBeVisible();
  if (shots) await page.screenshot({ path: 'docs/img/provisioning-audit.png', fullPage: true });
}
