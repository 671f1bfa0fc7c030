import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints `code` as if it lived at `filePath` and returns the restricted-import messages. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2)
    .map((m) => m.message);
}

describe('layer rules (DESIGN.md) are lint errors', () => {
  it('only the desktop shell may import electron', async () => {
    expect(
      await layerErrors('src/main/engine/oidc/x.ts', "import { shell } from 'electron'; export const s = shell;\n"),
    ).toEqual([expect.stringContaining("may import 'electron'")]);
    expect(
      await layerErrors('src/main/server/x.ts', "import { app } from 'electron'; export const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors('src/main/ipc.ts', "import { ipcMain } from 'electron'; export const i = ipcMain;\n"),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/main/electron/x.ts',
        "import { safeStorage } from 'electron'; export const s = safeStorage;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/preload/x.ts',
        "import { contextBridge } from 'electron'; export const c = contextBridge;\n",
      ),
    ).toEqual([]);
  });

  it('the renderer imports nothing from src/main', async () => {
    expect(
      await layerErrors(
        'src/renderer/src/x.ts',
        "import { openStore } from '../../main/store/db'; export const o = openStore;\n",
      ),
    ).toEqual([expect.stringContaining('renderer imports only src/shared')]);
    expect(
      await layerErrors(
        'src/renderer/src/x.ts',
        "import { readFileSync } from 'node:fs'; export const r = readFileSync;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerErrors(
        'src/renderer/src/x.ts',
        "import { contract } from '@shared/contract'; export const c = contract;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/renderer/src/x.ts',
        "import { openStore } from '@main/store/db'; export const o = openStore;\n",
      ),
    ).toEqual([expect.stringContaining('renderer imports only src/shared')]);
  });

  it('nothing climbs: src/shared by its alias, three folders up by @main/… or @renderer/…', async () => {
    expect(
      await layerErrors(
        'src/renderer/src/x.ts',
        "import { contract } from '../../shared/contract'; export const c = contract;\n",
      ),
    ).toEqual([expect.stringContaining('Import src/shared as @shared/')]);
    expect(
      await layerErrors(
        'src/main/engine/a/b/x.ts',
        "import { openStore } from '../../../store/db'; export const o = openStore;\n",
      ),
    ).toEqual([expect.stringContaining('Three folders up or more')]);
    expect(
      await layerErrors(
        'src/main/engine/a/b/x.ts',
        "import { openStore } from '@main/store/db'; export const o = openStore;\n",
      ),
    ).toEqual([]);
  });

  it('src/shared imports no Node module and nothing above it', async () => {
    expect(
      await layerErrors('src/shared/x.ts', "import { createHash } from 'node:crypto'; export const c = createHash;\n"),
    ).toEqual([expect.stringContaining('no Node module')]);
    expect(await layerErrors('src/shared/x.ts', "import { join } from 'path'; export const j = join;\n")).toHaveLength(
      1,
    );
    expect(
      await layerErrors(
        'src/shared/x.ts',
        "import { openStore } from '../main/store/db'; export const o = openStore;\n",
      ),
    ).toHaveLength(1);
    expect(await layerErrors('src/shared/x.ts', "import { z } from 'zod'; export const s = z.string();\n")).toEqual([]);
  });

  it('store and engine do not reach up the layers', async () => {
    expect(
      await layerErrors('src/main/store/x.ts', "import { decide } from '../engine/policy'; export const d = decide;\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors('src/main/engine/x.ts', "import { apiRoutes } from '../server'; export const a = apiRoutes;\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors(
        'src/main/engine/x.ts',
        "import { startConsoleServer } from '../host/console-server'; export const s = startConsoleServer;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerErrors(
        'src/main/engine/x.ts',
        "import { openStore } from '../store/db'; export const o = openStore;\n",
      ),
    ).toEqual([]);
  });
});
