import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { secureWebPreferences } from '../../src/main/electron/window-options';

describe('Electron security checklist (checked without an Electron binary)', () => {
  it('the window runs isolated and sandboxed, without Node', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('electron-builder flips the Electron fuses, with names electron-builder knows', () => {
    const yml = readFileSync('electron-builder.yml', 'utf8');
    const block = /^electronFuses:\n((?:[ \t]+.*\n?)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries([...block.matchAll(/^\s+(\w+):\s*(\w+)\s*$/gm)].map((m) => [m[1], m[2]]));
    expect(fuses).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableCookieEncryption: 'true',
      onlyLoadAppFromAsar: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
    // The names are checked against electron-builder's own schema here, long before anyone packages.
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    for (const name of Object.keys(fuses))
      expect(schema.definitions.FuseOptionsV1.properties, name).toHaveProperty(name);
    // sso-desk:// stays registered because the app handles it (src/main/electron/desk-link.ts).
    expect(yml).toMatch(/schemes: \[sso-desk\]/);
  });

  it('the built preload is one CommonJS file that requires nothing but electron and exposes only window.api', () => {
    const preload = readFileSync('out/preload/index.cjs', 'utf8');
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    const exposed = [...preload.matchAll(/exposeInMainWorld\(\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(exposed).toEqual(['api']);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });

  it('the renderer page carries a strict CSP: scripts only from itself, no inline script, no eval', () => {
    const html = readFileSync('out/renderer/index.html', 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
  });
});
