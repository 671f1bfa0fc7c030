import { test, expect } from './fixtures';

test('configure External user authentication in the console, then log a demo user in through the Simulator', async ({
  consolePage: page,
}) => {
  // The demo password of this install, from the Keys screen.
  await page.getByRole('tab', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Show Password of every demo user' }).click();
  const password = (await page.getByLabel('Password of every demo user value').textContent())!.trim();
  expect(password).toMatch(/^demo-/);

  // Settings > External user authentication: globex comes pointed at the demo service.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'External user authentication' }).click();
  await page.getByLabel('Account').selectOption({ label: 'Globex Inc' });
  await expect(page.getByLabel('Authentication URL')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/login$/);
  await expect(page.getByRole('checkbox', { name: /Use external authentication/ })).toBeChecked();
  const placeholders = page.getByRole('complementary', { name: 'Placeholders' });
  for (const p of [
    '{{USERID}}',
    '{{USEREMAIL}}',
    '{{USERPASSWORD}}',
    '{{USEREXTERNALID}}',
    '{{ORGID}}',
    '{{DEVICEOS}}',
    '{{DEVICENAME}}',
    '{{DEVICEIP}}',
  ])
    await expect(placeholders).toContainText(p);

  // XML with Basic, and a device header; a bad header name and an unknown placeholder are named as you type.
  await page.getByLabel('Data As').selectOption({ label: 'XML' });
  await page.getByLabel('HTTP auth type').selectOption('basic');
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header 1 name').fill('X Device');
  await expect(page.getByText('"X Device" is not a valid header name')).toBeVisible();
  await page.getByLabel('Header 1 name').fill('X-Device');
  await page.getByLabel('Header 1 value').fill('{{DEVICENAME}} {{DEVICE}}');
  await expect(page.getByText('unknown placeholder {{DEVICE}}')).toBeVisible();
  await page.getByRole('button', { name: 'Save external authentication' }).click();
  await expect(page.getByRole('alert')).toContainText('Not saved — Header 1 value: unknown placeholder {{DEVICE}}');
  await page.getByLabel('Header 1 value').fill('{{DEVICENAME}} on {{DEVICEOS}}');
  await page.getByLabel('Forgot-password URL').fill('http://127.0.0.1:1/forgot?p={{USERPASSWORD}}');
  await expect(page.getByText('{{USERPASSWORD}} may not be used here')).toBeVisible();
  await page.getByLabel('Forgot-password URL').fill('');
  await page.getByRole('button', { name: 'Save external authentication' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText(
    'External user authentication is on for Globex Inc',
  );
  if (process.env.SCREENSHOTS) {
    await page.setViewportSize({ width: 1280, height: 1300 });
    await page.screenshot({ path: 'docs/img/passthrough-settings.png' });
  }

  // Reloaded from the store, the form shows what was saved.
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'External user authentication' }).click();
  await page.getByLabel('Account').selectOption({ label: 'Globex Inc' });
  await expect(page.getByLabel('Data As')).toHaveValue('xml');
  await expect(page.getByLabel('Header 1 name')).toHaveValue('X-Device');

  // Simulator, Password tab: erin signs in through the demo service.
  await page.getByRole('tab', { name: 'Simulator' }).click();
  const form = page.getByRole('form', { name: 'Replay a login' });
  await form.getByRole('tab', { name: 'Password' }).click();
  await form.getByLabel('Email').fill('erin@globex.test');
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await form.getByLabel('Device name').fill('Erin’s laptop');
  await form.getByRole('button', { name: 'Run' }).click();
  const result = page.getByRole('article', { name: 'Run' });
  await expect(result.getByRole('status', { name: 'Outcome' })).toContainText(
    'Signed in: erin@globex.test signed in to Globex Inc',
  );
  const exchange = result.getByRole('listitem', { name: 'Step external answer' });
  await exchange.getByText(/^POST http:\/\/127\.0\.0\.1:\d+\/login → 200/).click();
  await expect(exchange.getByLabel('Request body')).toContainText('<password>••••</password>');
  await expect(exchange.getByRole('table', { name: 'Request headers' })).toContainText('Basic ••••');
  await expect(exchange.getByRole('table', { name: 'Request headers' })).toContainText('Erin’s laptop on');
  // SCREENSHOTS=1 npx playwright test e2e/passthrough.spec.ts refreshes the picture in docs/passthrough.md.
  if (process.env.SCREENSHOTS) await result.screenshot({ path: 'docs/img/passthrough-simulator.png' });
  // The password is only in the field the user typed it into: nowhere in the result or its trace.
  expect(await result.innerHTML()).not.toContain(password);

  // A wrong password: the service's 401, in words, red.
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill('wrong-password');
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(result.getByRole('alert', { name: 'Outcome' })).toContainText('Failed: ');
  await expect(result.getByRole('alert', { name: 'Outcome' })).toContainText(
    'did not accept the password for erin@globex.test (it answered 401 Unauthorized)',
  );

  // Dana belongs to both accounts: amber, a choice (no raw "HTTP 409 … send it as account"), then globex signs her in.
  await form.getByLabel('Email').fill('dana@example.test');
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(result.getByRole('status', { name: 'Outcome' })).toContainText(
    'Needs a choice: dana@example.test belongs to',
  );
  await expect(result.getByLabel('Verdict')).toHaveClass(/warn/);
  await expect(result).not.toContainText('send it as');
  // A word boundary: the pass-through service's port (127.0.0.1:34091) may contain the digits.
  await expect(result).not.toContainText(/\b409\b/);
  await result.getByRole('button', { name: 'Run again for Globex Inc' }).click();
  await expect(result.getByRole('status', { name: 'Outcome' })).toContainText(
    'Signed in: dana@example.test signed in to Globex Inc',
  );
  // Both runs stay listed.
  await expect(page.getByRole('list', { name: 'Recent runs' }).getByRole('listitem')).toHaveCount(4);
});

test('an unknown email is refused before any external call, and the settings form shows the reference', async ({
  consolePage: page,
}) => {
  await page.getByRole('tab', { name: 'Simulator' }).click();
  const form = page.getByRole('form', { name: 'Replay a login' });
  await form.getByRole('tab', { name: 'Password' }).click();
  await form.getByLabel('Email').fill('nobody@globex.test');
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill('whatever');
  await form.getByRole('button', { name: 'Run' }).click();
  const result = page.getByRole('article', { name: 'Run' });
  await expect(result.getByRole('status', { name: 'Outcome' })).toContainText(
    'Needs another user: nobody@globex.test is not a registered user',
  );
  await expect(result.getByText('Engine detail')).toBeVisible();
  await expect(result).toContainText('no external service is called');
  await expect(result.getByRole('listitem', { name: 'Step external answer' })).toHaveCount(0);
});
