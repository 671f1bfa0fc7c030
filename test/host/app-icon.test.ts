import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url));

describe('the app icon', () => {
  it('is an SVG with a 512×512 PNG beside it, used by the window and by every installer', () => {
    expect(read('resources/icon.svg').toString()).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/);
    const png = read('resources/icon.png');
    // PNG signature, then the IHDR chunk: width and height, big-endian.
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    const builder = read('electron-builder.yml').toString();
    expect(builder).toMatch(/files:\n(?: {2}[^\n]*\n)*? {2}- resources\/icon\.png/);
    for (const os of ['linux', 'mac', 'win'])
      expect(builder).toMatch(new RegExp(`\\n${os}:\\n(?: {2}[^\\n]*\\n)*? {2}icon: resources/icon\\.png`));
    expect(read('src/main/index.ts').toString()).toContain("icon: join(app.getAppPath(), 'resources', 'icon.png')");
  });
});
