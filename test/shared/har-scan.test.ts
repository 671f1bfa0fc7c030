import { describe, expect, it } from 'vitest';
import { HarScanner, scanHarText } from '../../src/shared/har-scan';

const har = JSON.stringify({
  log: {
    version: '1.2',
    creator: { name: 'Firefox', version: '133' },
    entries: [
      {
        startedDateTime: '2026-12-05T09:00:00.000Z',
        request: { method: 'GET', url: 'https://idp.example/authorize?response_type=code&state=a"b\\\\' },
        response: { status: 302, headers: [{ name: 'Location', value: 'https://app.example/cb?code=x&state=y' }] },
      },
      {
        request: { method: 'GET', url: 'https://cdn.example/x.js' },
        response: { status: 200, content: { text: '"}]{\\"' } },
      },
      {
        request: { method: 'GET', url: 'https://app.example/cb?code=x&state=y' },
        response: { status: 200, content: { mimeType: 'text/html', encoding: 'base64', text: btoa('<p>ok</p>') } },
      },
      {
        request: { method: 'GET', url: 'https://cdn.example/i.png' },
        response: { status: 200, content: { mimeType: 'image/png', encoding: 'base64', text: 'iVBORw0KGgo=' } },
      },
    ],
  },
});

describe('HarScanner: a HAR read a piece at a time', () => {
  it('gives the same entries wherever the chunks are cut (inside strings, escapes, between entries)', () => {
    const whole = scanHarText(har);
    expect(whole.kind).toBe('har');
    expect(whole.total).toBe(4);
    expect(whole.creator).toBe('Firefox');
    expect(whole.entries.map((e) => e.index)).toEqual([0, 2]);
    expect(whole.entries[1]!.responseBody).toBe('<p>ok</p>');
    expect(whole.notes).toEqual([
      '1 base64-encoded bodies were decoded as text.',
      '1 binary bodies (images, fonts, other media) were not read.',
    ]);
    for (let size = 1; size <= 7; size++) {
      const s = new HarScanner();
      for (let i = 0; i < har.length; i += size) s.push(har.slice(i, i + size));
      expect(s.finish(), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('says what it skipped: truncated file, not JSON, JSON that is not a HAR', () => {
    expect(scanHarText(har.slice(0, har.length - 200)).notes[0]).toMatch(/cut off \(truncated\): 2 entries were read/);
    expect(scanHarText('<html>').kind).toBe('not_json');
    expect(scanHarText('{"log": {"pages": []}}').kind).toBe('not_har');
  });
});
