import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

test('the audit log filters, shows an event, exports the filtered set as CSV and keeps a retention setting', async ({
  consolePage: page,
}) => {
  // A settings change to find: the import from the console is audited.
  await page.getByLabel('Import workspace file').setInputFiles({
    name: 'ws.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({ format: 'sso-desk/workspace@1', accounts: [{ id: 'initech', name: 'Initech', plan: 'pro' }] }),
    ),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 account,' })).toBeVisible();

  await page.getByRole('tab', { name: 'Audit' }).click();
  const list = page.getByRole('list', { name: 'Audit events' });
  await expect(list.getByRole('button')).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Search' }).fill('demo seed');
  await expect(list.getByRole('button')).toHaveCount(1);
  await list.getByRole('button').first().click();
  const detail = page.getByRole('article', { name: 'Audit event detail' });
  await expect(detail).toContainText('workspace.import');
  await expect(detail).toContainText('demo seed');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^sso-desk-audit-.*\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(csv[0]).toBe('id,time,kind,account,email,actor,method,outcome,reason,duration_ms');
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain('demo seed');
  await expect(page.getByRole('status').filter({ hasText: 'Exported 1 events' })).toBeVisible();
  // The link was for one use only.
  const again = await page.evaluate(async (u) => (await fetch(u)).status, download.url());
  expect(again).toBe(404);

  await page.getByLabel('Keep audit events for (days; empty = forever)').fill('30');
  await page.getByRole('button', { name: 'Save retention' }).click();
  await expect(page.getByRole('status', { name: 'Retention status' })).toContainText('Keeping 30 days');
  await page.getByRole('searchbox', { name: 'Search' }).fill('retention');
  await expect(list.getByRole('button')).toHaveCount(1);
  await expect(list).toContainText('audit retention: 365 → 30 days');
});
