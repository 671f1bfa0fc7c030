import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
const source = files(join(root, 'src')).map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));
const where = (re: RegExp) =>
  source
    .filter(({ text }) => re.test(text))
    .map((f) => f.file)
    .sort();

describe('one way per concern', () => {
  it('has one form mechanism: react-hook-form is driven only by useDraft', () => {
    expect(where(/\buseForm\s*[<(]/)).toEqual(['src/renderer/src/components/ui/draft.tsx']);
  });

  it('has one form field component: every other *Field renders it', () => {
    const own = source.filter(
      ({ file, text }) =>
        file.endsWith('.tsx') && /export function \w*Field\s*[(<]/.test(text) && !/<Field\b/.test(text),
    );
    expect(own.map((f) => f.file)).toEqual(['src/renderer/src/components/ui/Field.tsx']);
  });

  it('has one fetch helper and one mask constant', () => {
    expect(where(/export async function fetchJson\b/)).toHaveLength(1);
    expect(where(/const \w+ = '••••'/)).toHaveLength(1);
  });
});
