import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Electronegativity (Doyensec's static review of Electron apps) over the sources, inside `npm test`.
 * Every finding must be listed, with its reason, in electronegativity-accepted.json; a new one fails
 * here until it is fixed or reviewed and listed. It runs offline (it warns that it cannot fetch
 * translations or Electron's releases); the Electron version is given so that defaults are judged right.
 */
interface Finding {
  id: string;
  file: string;
  location: { line: number };
  description: string;
}
interface Accepted {
  check: string;
  file: string;
  reason: string;
}

const require = createRequire(import.meta.url);
type Run = (
  opts: Record<string, unknown>,
) => Promise<{ issues: Finding[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }>;
const run = require('@doyensec/electronegativity') as Run;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
const electronVersion = pkg.devDependencies['electron']!;
const accepted = (JSON.parse(readFileSync('electronegativity-accepted.json', 'utf8')) as { accepted: Accepted[] })
  .accepted;

describe('Electronegativity', () => {
  it('every accepted finding has a one-line reason', () => {
    for (const a of accepted) {
      expect(a.reason.length, `${a.check} ${a.file}`).toBeGreaterThan(20);
      expect(a.reason).not.toContain('\n');
    }
  });

  it('finds nothing in src/ that is not reviewed and listed in electronegativity-accepted.json', async () => {
    const result = await run({
      input: resolve('src'),
      isRelative: true,
      electronVersionOverride: electronVersion.replace(/^[^\d]*/, ''),
    });
    // A file the checker cannot parse would be a file it silently skips.
    expect(result.errors.filter((e) => !e.tolerable).map((e) => `${e.file}: ${e.message}`)).toEqual([]);
    const unlisted = result.issues
      .filter((i) => !accepted.some((a) => a.check === i.id && a.file === i.file))
      .map((i) => `${i.id} ${i.file}:${i.location.line} — ${i.description}`);
    expect(unlisted).toEqual([]);
    // The scan did run: the known, accepted findings are among its results.
    expect(result.issues.length).toBeGreaterThan(0);
  }, 120_000);
});
