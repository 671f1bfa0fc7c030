// Layers by runtime, enforced by lint (DESIGN.md "Layer rules"; the habit comes from VS Code's
// code-layering rule). A file's layer is its path; an import that crosses a forbidden layer is an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnly = {
  name: 'electron',
  message:
    "Only src/main/index.ts, src/main/ipc.ts, src/main/electron/ and src/preload/ may import 'electron' (DESIGN.md layer rules).",
};
const layer = (message, group) => ({ group, message });
// No climbing: src/shared is @shared/…, and three or more folders up is @main/… or @renderer/… (tsconfig paths).
const noClimbing = [
  { regex: '^(\\.\\./)+shared(/|$)', message: 'Import src/shared as @shared/… (tsconfig paths).' },
  { regex: '^(\\.\\./){3,}', message: 'Three folders up or more: import as @main/… or @renderer/… (tsconfig paths).' },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // Nothing outside the desktop shell imports electron.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/index.ts', 'src/main/ipc.ts', 'src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly], patterns: noClimbing }] },
  },
  // shared: pure TypeScript. No Node, no DOM, no Electron, nothing from the layers above.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnly,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'src/shared imports no Node module (DESIGN.md layer rules).',
            })),
          ],
          patterns: [
            layer('src/shared imports nothing from main, preload or renderer.', [
              '**/main/**',
              '**/preload/**',
              '**/renderer/**',
              '@main/**',
              '@renderer/**',
            ]),
          ],
        },
      ],
    },
  },
  // store sits just above shared.
  {
    files: ['src/main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            layer('src/main/store imports only shared (DESIGN.md layer rules).', [
              '**/engine/**',
              '**/server/**',
              '**/host/**',
              '**/idp/**',
              '**/ipc',
              '**/boot',
              '../index',
              '@renderer/**',
            ]),
            ...noClimbing,
          ],
        },
      ],
    },
  },
  // engine: plain Node over the store; never the transports above it.
  {
    files: ['src/main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            layer('src/main/engine must not import server, host, ipc or the wiring (DESIGN.md layer rules).', [
              '**/server/**',
              '**/server',
              '**/host/**',
              '**/ipc',
              '**/boot',
              '**/main/index',
              '@renderer/**',
            ]),
            ...noClimbing,
          ],
        },
      ],
    },
  },
  // renderer: React over the contract client only.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnly,
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node modules.' })),
          ],
          patterns: [
            layer(
              'The renderer imports only src/shared and talks through the contract client (DESIGN.md layer rules).',
              ['**/main/**', '**/main', '**/preload/**', '@main/**'],
            ),
            ...noClimbing,
          ],
        },
      ],
    },
  },
);
