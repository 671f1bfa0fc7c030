import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** Controls on screen that a screen reader (and Playwright's getByRole/getByLabel) could not name. */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const nameOf = (el: HTMLElement): string => {
      const aria = el.getAttribute('aria-label');
      if (aria?.trim()) return aria;
      const by = el.getAttribute('aria-labelledby');
      if (by)
        return by
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ');
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length) return [...labels].map((l) => l.textContent ?? '').join(' ');
      if (el.tagName === 'BUTTON' || el.tagName === 'SUMMARY' || el.tagName === 'A') return el.textContent ?? '';
      if (el instanceof HTMLInputElement && ['submit', 'button', 'reset'].includes(el.type)) return el.value;
      return el.getAttribute('title') ?? '';
    };
    const visible = (el: HTMLElement) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    return [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, summary, a[href]')]
      .filter((el) => visible(el) && !(el instanceof HTMLInputElement && el.type === 'hidden'))
      .filter((el) => nameOf(el).trim() === '')
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

const SECTIONED = ['Settings', 'Inspector'];

test('every control on every screen and section has an accessible name', async ({ consolePage: page }) => {
  const screens = ['Settings', 'Simulator', 'Inspector', 'Audit', 'Keys'];
  const seen: string[] = [];
  for (const screen of screens) {
    await page.getByRole('tab', { name: screen }).click();
    const nav = page.getByRole('navigation', { name: `${screen} sections` });
    // Screens with sections render their list after the tab switch: count only once it is there.
    if (SECTIONED.includes(screen)) await expect(nav).toBeVisible();
    const sections = nav.getByRole('button');
    const count = await sections.count();
    for (let i = 0; i < Math.max(count, 1); i++) {
      if (count) await sections.nth(i).click();
      // Let the section load what it shows (forms fill in from the engine).
      await page.waitForLoadState('networkidle');
      const where = count ? `${screen} › ${await sections.nth(i).innerText()}` : screen;
      seen.push(where);
      expect(await unnamedControls(page), where).toEqual([]);
    }
  }
  // The walk really visited the sections of each feature.
  expect(seen).toEqual(
    expect.arrayContaining([
      'Settings › General',
      'Settings › Security › SSO',
      'Simulator',
      'Inspector › Tokens',
      'Inspector › Deep links',
      'Audit',
      'Keys',
    ]),
  );

  // And the check itself catches an unnamed control.
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.innerHTML = '<svg width="10" height="10"></svg>';
    document.querySelector('main')!.appendChild(b);
  });
  expect(await unnamedControls(page)).toEqual(['<button><svg width="10" height="10"></svg></button>']);
});
