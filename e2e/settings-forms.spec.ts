import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

test.describe.configure({ timeout: 5 * 60_000 });

const openSection = async (page: Page, label: string) => {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: label, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
};
const bar = (page: Page) => page.getByRole('region', { name: 'Unsaved changes' });
const leaveDialog = (page: Page) => page.getByRole('alertdialog', { name: 'Leave without saving?' });
/** Reload the console (answering the browser's own unsaved-changes question, if any) and come back to a section. */
const reloadTo = async (page: Page, label: string) => {
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await expect(page.getByRole('status', { name: 'Status' })).toContainText('Store healthy');
  await openSection(page, label);
};

test('Login protection: units in words, errors name the field, a draft until Save; leaving asks; the saved numbers survive a reload', async ({
  consolePage: page,
}) => {
  await openSection(page, 'Login protection');
  const form = page.getByRole('form', { name: 'Login throttling' });
  const first = form.getByLabel('First delay (seconds)');
  const refused = form.getByLabel('Refused for (minutes)');
  await expect(first).not.toHaveValue('');
  const before = { first: await first.inputValue(), refused: await refused.inputValue() };
  // Nothing on screen talks in milliseconds or internal keys.
  await expect(page.getByRole('region', { name: 'Login protection' })).not.toContainText(
    /milliseconds|\bms\b|delayMs|lockMs|lockAfter/,
  );

  // A value out of the contract's bounds: the error names the field and speaks its unit; nothing is saved.
  await first.fill('120');
  await expect(bar(page)).toContainText('Login protection');
  await expect(form.getByRole('alert')).toHaveText('First delay: must be at most 60 seconds');
  await expect(first).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Failures before refusing (429)').fill('0');
  await expect(form.getByRole('alert').filter({ hasText: 'Failures before refusing (429)' })).toHaveText(
    'Failures before refusing (429): must be at least 1',
  );
  await bar(page).getByRole('button', { name: 'Discard' }).click();
  await expect(bar(page)).toBeHidden();
  await expect(first).toHaveValue(before.first);

  // Edit, leave: asked in the app; Stay keeps the draft, Discard and leave drops it.
  await refused.fill('7');
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Network' }).click();
  await expect(leaveDialog(page)).toContainText('Login protection');
  await leaveDialog(page).getByRole('button', { name: 'Stay' }).click();
  await expect(refused).toHaveValue('7');
  await page.getByRole('tab', { name: 'Keys' }).click();
  await leaveDialog(page).getByRole('button', { name: 'Discard changes and leave' }).click();
  await expect(page.getByRole('tab', { name: 'Keys' })).toHaveAttribute('aria-selected', 'true');
  await openSection(page, 'Login protection');
  await expect(form.getByLabel('Refused for (minutes)')).toHaveValue(before.refused);

  // Edit and Save (Enter in a field saves too): what the screen says is what a reload shows.
  await form.getByLabel('First delay (seconds)').fill('2.5');
  await form.getByLabel('Refused for (minutes)').fill('7');
  await form.getByLabel('Refused for (minutes)').press('Enter');
  await expect(form.getByRole('status')).toContainText('Saved; in force now');
  await expect(bar(page)).toBeHidden();
  await reloadTo(page, 'Login protection');
  await expect(form.getByLabel('First delay (seconds)')).toHaveValue('2.5');
  await expect(form.getByLabel('Refused for (minutes)')).toHaveValue('7');
});

test('Network: a draft with Save and Discard; leaving asks; the saved proxy survives a reload', async ({
  consolePage: page,
}) => {
  await openSection(page, 'Network');
  const form = page.getByRole('form', { name: 'Network settings' });
  await form.getByLabel('Proxy URL').fill('http://proxy.corp.example:3128');
  await expect(bar(page)).toContainText('the network settings');
  // The settings in force still say what is saved.
  await expect(page.getByLabel('Network in force')).toContainText('none');
  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(leaveDialog(page)).toContainText('Network settings');
  await page.keyboard.press('Escape');
  await expect(leaveDialog(page)).toBeHidden();
  await expect(form.getByLabel('Proxy URL')).toHaveValue('http://proxy.corp.example:3128');
  await bar(page).getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toContainText('every outbound call uses it from now on');
  await expect(page.getByLabel('Network in force')).toContainText('http://proxy.corp.example:3128 — set here');
  await expect(bar(page)).toBeHidden();
  // Nothing unsaved: leaving does not ask.
  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  await expect(leaveDialog(page)).toBeHidden();
  await reloadTo(page, 'Network');
  await expect(form.getByLabel('Proxy URL')).toHaveValue('http://proxy.corp.example:3128');

  // Discard puts the saved value back.
  await form.getByLabel('Proxy URL').fill('');
  await bar(page).getByRole('button', { name: 'Discard' }).click();
  await expect(form.getByLabel('Proxy URL')).toHaveValue('http://proxy.corp.example:3128');
});

test('Provisioning: the switch and group mappings are a draft; another account asks first; Save is what a reload shows', async ({
  consolePage: page,
}) => {
  await openSection(page, 'Provisioning');
  const panel = page.getByRole('region', { name: 'Provisioning' });
  await panel.getByLabel('Account').selectOption({ label: 'Acme Corp (enterprise)' });
  const toggle = panel.getByRole('switch', { name: 'Provisioning for Acme Corp' });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect(panel).toContainText('on, not saved yet');
  await expect(bar(page)).toContainText('provisioning of Acme Corp');
  // Nothing claims a state that is not saved: Test provisioning still needs a saved switch.
  await expect(panel.getByRole('button', { name: 'Test provisioning' })).toBeDisabled();

  // A mapping without a group name is refused with the field's label.
  await panel.getByRole('button', { name: 'Add mapping' }).click();
  await expect(panel.getByRole('alert')).toHaveText('Group name: enter the group name as the IdP sends it');
  await panel.getByLabel('Group name').fill('Helpdesk operators');
  await panel.getByRole('button', { name: 'Add mapping' }).click();
  await expect(panel.getByRole('list', { name: 'Group-to-team mappings' })).toContainText(
    '“Helpdesk operators” → Helpdesk as operator — not saved yet',
  );

  // Another account: asked first; Stay keeps the draft.
  await panel.getByLabel('Account').selectOption({ label: 'Globex Inc (pro)' });
  await expect(leaveDialog(page)).toContainText('Provisioning of Acme Corp');
  await leaveDialog(page).getByRole('button', { name: 'Stay' }).click();
  await expect(toggle).toBeChecked();

  await bar(page).getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').first()).toContainText(
    'Saved. Provisioning on for Acme Corp; “Helpdesk operators” → Helpdesk as operator.',
  );
  await expect(panel).not.toContainText('not saved yet');
  await expect(panel.getByRole('button', { name: 'Test provisioning' })).toBeEnabled();

  await reloadTo(page, 'Provisioning');
  await panel.getByLabel('Account').selectOption({ label: 'Acme Corp (enterprise)' });
  await expect(panel.getByRole('switch', { name: 'Provisioning for Acme Corp' })).toBeChecked();
  await expect(panel.getByRole('list', { name: 'Group-to-team mappings' })).toContainText(
    '“Helpdesk operators” → Helpdesk as operator',
  );

  // Removing a mapping is a draft too; Discard brings it back.
  await panel.getByRole('button', { name: 'Remove mapping of Helpdesk operators to Helpdesk' }).click();
  await expect(panel).toContainText('Removed, not saved yet: “Helpdesk operators” → Helpdesk');
  await bar(page).getByRole('button', { name: 'Discard' }).click();
  await expect(panel.getByRole('list', { name: 'Group-to-team mappings' })).toContainText(
    '“Helpdesk operators” → Helpdesk as operator',
  );
});
