import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * Issue #23: a member's access ends one way. The console's deactivation once only flipped the status
 * while SCIM's also ended sessions; this keeps a second writer from appearing again.
 */

const ROOT = join(__dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
const sources = files(join(ROOT, 'src')).map((p) => ({
  path: relative(ROOT, p).split('\\').join('/'),
  text: readFileSync(p, 'utf8'),
}));

describe('one way to end access', () => {
  it('only src/main/store/access.ts updates a membership status', () => {
    const writers = sources.filter((f) => /UPDATE\s+memberships\s+SET[^;'`]*\bstatus\s*=/i.test(f.text));
    expect(writers.map((f) => f.path)).toEqual(['src/main/store/access.ts']);
  });

  it("only engine/access/end-access.ts calls the store's status writer and session revocations", () => {
    for (const name of ['writeMembershipStatus', 'endMemberSessions', 'endDeepLinks']) {
      const callers = sources.filter(
        (f) => f.path !== 'src/main/store/access.ts' && new RegExp(`\\b${name}\\(`).test(f.text),
      );
      expect(
        callers.map((f) => f.path),
        name,
      ).toEqual(['src/main/engine/access/end-access.ts']);
    }
  });

  it('every module that deletes a membership or a user goes through endMemberAccess', () => {
    const deleters = sources.filter(
      (f) =>
        !f.path.startsWith('src/main/store/') &&
        (/\bdeleteMembership\(/.test(f.text) ||
          /\bdeleteUser\(\s*d\.db/.test(f.text) ||
          /DELETE FROM users/.test(f.text)),
    );
    expect(deleters.length).toBeGreaterThan(0);
    for (const f of deleters) expect(f.text, f.path).toMatch(/\bendMemberAccess\(/);
  });

  it("only the store deletes a place on a bot's team, and every module that asks it to goes through endMemberAccess", () => {
    // The SCIM group sync once deleted team places itself: the member's deep links into the bot stayed open.
    const sql = sources.filter(
      (f) => !f.path.startsWith('src/main/store/') && /DELETE\s+FROM\s+bot_team/i.test(f.text),
    );
    expect(sql.map((f) => f.path)).toEqual([]);
    const removers = sources.filter(
      (f) => !f.path.startsWith('src/main/store/') && /\bremoveTeamMember\(/.test(f.text),
    );
    expect(removers.map((f) => f.path).sort()).toEqual([
      'src/main/engine/directory/directory.ts',
      'src/main/engine/scim/teams.ts',
    ]);
    for (const f of removers) expect(f.text, f.path).toMatch(/\bendMemberAccess\(/);
  });
});
