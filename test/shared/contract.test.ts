import { describe, expect, it } from 'vitest';
import { buildClient, listChannels, findChannel } from '../../src/shared/contract';
import { formatPath } from '../../src/shared/zod-path';

describe('contract', () => {
  it('names channels by their dotted path and builds a client that calls the transport with that name', async () => {
    const names = listChannels().map(([n]) => n);
    expect(names).toContain('app.info');
    expect(names).toContain('app.prefs.set');
    expect(names).toContain('workspace.import');
    const calls: Array<[string, unknown]> = [];
    const client = buildClient(async (name, input) => {
      calls.push([name, input]);
      return { ok: true, value: null };
    });
    await client.app.info();
    await client.app.prefs.set({ theme: 'dark' });
    expect(calls).toEqual([
      ['app.info', undefined],
      ['app.prefs.set', { theme: 'dark' }],
    ]);
  });

  it('every channel has input and output schemas and a doc line', () => {
    for (const [name, ch] of listChannels()) {
      expect(findChannel(name)).toBe(ch);
      expect(ch.doc.length, name).toBeGreaterThan(5);
    }
  });

  it('formats zod paths the way error messages name fields', () => {
    expect(formatPath(['bots', 0, 'team', 1, 'level'])).toBe('bots[0].team[1].level');
    expect(formatPath([])).toBe('');
  });
});
