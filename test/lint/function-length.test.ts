import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const MAX_LINES = 100;
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });

/** The comments just above a function, or above the statement or property that holds it. */
function leadingComments(text: string, node: ts.Node): string {
  let holder: ts.Node = node;
  while (
    holder.parent &&
    (ts.isVariableDeclaration(holder.parent) ||
      ts.isVariableDeclarationList(holder.parent) ||
      ts.isVariableStatement(holder.parent) ||
      ts.isPropertyAssignment(holder.parent) ||
      ts.isExportAssignment(holder.parent) ||
      ts.isCallExpression(holder.parent))
  )
    holder = holder.parent;
  const ranges = ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? [];
  return ranges.map((r) => text.slice(r.pos, r.end)).join('\n');
}

/** Every function in src/ over MAX_LINES lines whose comment does not say why it is long. */
function unexplainedLongFunctions(): string[] {
  const out: string[] = [];
  for (const file of files(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) && 'body' in n && n.body) {
        const first = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const last = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
        if (last - first + 1 > MAX_LINES && !/Long because\b/.test(leadingComments(text, n)))
          out.push(`${relative(root, file)}:${first + 1} (${last - first + 1} lines)`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

describe('functions stay short (issue "A house the next engineer can live in")', () => {
  it(`has no function over ${MAX_LINES} lines without "Long because …" in its comment`, () => {
    expect(unexplainedLongFunctions()).toEqual([]);
  });
});
