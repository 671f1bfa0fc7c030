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

describe('a plain store (DESIGN.md "Store")', () => {
  it('has no shared-memory flags, no patched transaction and no bench switches in src/', () => {
    const offending = source
      .filter(({ text }) => /SharedArrayBuffer|Atomics\.|db\.transaction\s*=|process\.env\.BENCH/.test(text))
      .map((f) => f.file);
    expect(offending).toEqual([]);
  });

  it('runs background work from one maintenance module', () => {
    const timers = source
      .filter(({ file }) => file.startsWith('src/main/engine/') || file.startsWith('src/main/store/'))
      .filter(({ text }) => /setInterval\(/.test(text))
      .map((f) => f.file)
      .sort();
    expect(timers).toEqual(['src/main/engine/maintenance/maintenance.ts', 'src/main/store/checkpoints.ts']);
  });

  it('keeps every SQL statement in src/main/store (the engine calls named store functions)', () => {
    // A statement: a prepare/stmt/exec call on a database, or a string that starts an SQL statement.
    const sql =
      /\.prepare\(|\bstmt\(\s*\w+\s*,|\bdb\.exec\(|['`"]\s*(SELECT\s[^'`"]*\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|PRAGMA\s)/;
    const outside = source
      .filter(({ file }) => !file.startsWith('src/main/store/'))
      .filter(({ text }) => sql.test(text))
      .map((f) => f.file);
    expect(outside).toEqual([]);
  });
});
