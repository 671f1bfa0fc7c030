import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = join(process.cwd(), 'src/renderer/src');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.test(e.name) ? [p] : [];
  });
}
const rel = (p: string) => relative(process.cwd(), p);

describe('the console is built from one set of parts', () => {
  it('one confirmation dialog: only components/ui/ConfirmDialog.tsx uses Radix AlertDialog; no native confirm()', () => {
    const sources = files(RENDERER, /\.tsx?$/);
    const alertDialogs = sources
      .filter((p) => readFileSync(p, 'utf8').includes('@radix-ui/react-alert-dialog'))
      .map(rel);
    expect(alertDialogs).toEqual(['src/renderer/src/components/ui/ConfirmDialog.tsx']);
    const native = sources.filter((p) => /\b(window\.)?confirm\(\s*['"`]/.test(readFileSync(p, 'utf8'))).map(rel);
    expect(native).toEqual([]);
  });

  it('the dark theme lives in the theme tokens: no screen stylesheet overrides colours per theme', () => {
    const sheets = files(RENDERER, /\.css$/).filter((p) => !p.endsWith('src/renderer/src/styles.css'));
    expect(sheets.length).toBeGreaterThan(0);
    const overrides = sheets
      .filter((p) => /data-theme|color:\s*#[0-9a-f]{3,6}\b/i.test(readFileSync(p, 'utf8')))
      .map(rel);
    expect(overrides).toEqual([]);
  });

  it('the directory screens build on its shared parts: no hand-made table, form plumbing or list loading of their own', () => {
    const dir = join(RENDERER, 'screens/settings/directory');
    // Every screen file of the directory (the user page is many small sections); ui.tsx and parts/ are the shared parts.
    const screens = readdirSync(dir).filter((n) => n.endsWith('.tsx') && n !== 'ui.tsx');
    expect(screens).toEqual(expect.arrayContaining(['AccountsTab.tsx', 'UserPage.tsx', 'UserLockouts.tsx']));
    for (const name of screens) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect({
        name,
        table: /<table\b/.test(text),
        useForm: /\buseForm\(/.test(text),
        zodResolver: text.includes('zodResolver'),
        rootError: text.includes('errors.root'),
      }).toEqual({
        name,
        table: false,
        useForm: false,
        zodResolver: false,
        rootError: false,
      });
    }
  });
});
