import { test as base, expect } from '@playwright/test';
import { startHost, type RunningHost } from './host';

/**
 * `host`: a fresh browser host on a temp data dir (demo world seeded), stopped after the test.
 * `consolePage`: a page opened on the console URL (key in the fragment), app loaded.
 */
export const test = base.extend<{ host: RunningHost; consolePage: import('@playwright/test').Page }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await host.stop();
  },
  consolePage: async ({ page, host }, use) => {
    await page.goto(host.ready.console);
    await expect(page.getByRole('status', { name: 'Status' })).toContainText('Store healthy');
    await use(page);
  },
});

export { expect };
