import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

// Generous bounds, never waits: axe reads the whole page at each stop, and the machine may be busy.
test.describe.configure({ timeout: 20 * 60_000 });

/**
 * Every screen and section, in light and dark, checked by axe-core; serious and critical violations
 * fail. New screens and sections go in this list (a state is a function that brings the screen to it).
 */
interface Where {
  name: string;
  /** Brings the page to this state from wherever the previous one left it. */
  open: (page: Page) => Promise<void>;
}

const tab = (name: string) => async (page: Page) => {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
};
const section = (screen: string, label: string, heading: string | RegExp) => async (page: Page) => {
  await tab(screen)(page);
  await page.getByRole('navigation', { name: `${screen} sections` }).getByRole('button', { name: label, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
};

export const PLACES: Where[] = [
  {
    name: 'Home',
    open: async (page) => {
      await tab('Home')(page);
      await expect(page.getByRole('article', { name: /Acme Corp/ })).toContainText('SSO');
    },
  },
  { name: 'Settings › General', open: section('Settings', 'General', 'General') },
  { name: 'Settings › Accounts', open: section('Settings', 'Accounts', 'Accounts') },
  { name: 'Settings › External user authentication', open: section('Settings', 'External user authentication', /External user authentication/) },
  {
    name: 'Settings › Security › SSO',
    open: async (page) => {
      await section('Settings', 'Security › SSO', 'Security › SSO')(page);
      await expect(page.getByLabel('Client ID')).not.toHaveValue('');
    },
  },
  {
    name: 'Settings › Security › SSO, a draft with a stale test result',
    open: async (page) => {
      await page.getByRole('button', { name: 'Test connection' }).click();
      await expect(page.getByRole('region', { name: 'Test connection results' })).toContainText('Connection OK');
      await page.getByLabel('Client ID').fill('changed-client');
      await expect(page.getByRole('region', { name: 'Test connection results' })).toContainText('Stale');
      await expect(page.getByRole('region', { name: 'Unsaved changes' })).toBeVisible();
    },
  },
  {
    name: 'the unsaved-changes dialog',
    open: async (page) => {
      await page.getByRole('tab', { name: 'Keys' }).click();
      await expect(page.getByRole('alertdialog', { name: 'Leave without saving?' })).toBeVisible();
    },
  },
  {
    name: 'Settings › Security › SSO after Stay and Discard',
    open: async (page) => {
      await page.keyboard.press('Escape');
      await expect(page.getByRole('alertdialog')).toBeHidden();
      await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Discard' }).click();
      await expect(page.getByRole('region', { name: 'Unsaved changes' })).toBeHidden();
    },
  },
  { name: 'Settings › Platform SSO', open: section('Settings', 'Platform SSO', 'Platform SSO') },
  { name: 'Settings › Login protection', open: section('Settings', 'Login protection', 'Login protection') },
  { name: 'Simulator', open: tab('Simulator') },
  { name: 'Inspector', open: tab('Inspector') },
  { name: 'Audit', open: tab('Audit') },
  { name: 'Keys', open: tab('Keys') },
];

/**
 * Violations already known on screens another helper is rebuilding, so that this walk stays green
 * until then. Remove an entry when its fix lands; never add one for a screen of this branch.
 */
const KNOWN: Record<string, string[]> = {
  // The hand-written virtual list (role=listbox rows): replaced by the Audit rework (issue 11, point 6).
  Audit: ['aria-required-children', 'aria-required-parent'],
};

async function seriousViolations(page: Page, where = ''): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .filter((v) => !(KNOWN[where] ?? []).includes(v.id))
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core finds no serious or critical violation on any screen (${scheme})`, async ({ homePage: page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    const found: Record<string, string[]> = {};
    for (const place of PLACES) {
      await place.open(page);
      const v = await seriousViolations(page, place.name);
      if (v.length) found[place.name] = v;
    }
    expect(found).toEqual({});
  });
}

test('the axe check itself catches a serious violation', async ({ homePage: page }) => {
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'faint text';
    p.style.color = '#ccc';
    p.style.background = '#fff';
    document.querySelector('main')!.appendChild(p);
  });
  expect((await seriousViolations(page)).join('\n')).toContain('color-contrast');
});
