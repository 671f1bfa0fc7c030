import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// The path aliases of tsconfig.json: src/shared, the main process and the renderer by name, not by climbing.
const alias = {
  '@shared': resolve('src/shared'),
  '@main': resolve('src/main'),
  '@renderer': resolve('src/renderer/src'),
};

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      // Pure-JS dependencies are bundled: resolving and reading several hundred ES modules one file at a
      // time was most of the start-up (bench/startup.bench.ts). Native and Electron-bound ones stay external.
      // undici stays external: bundled, its lazily loaded parts (node:sqlite for its cache) fail on Node 20.
      externalizeDeps: {
        exclude: ['oidc-provider', 'openid-client', 'jose', 'zod', 'scim2-parse-filter', 'scim-patch'],
      },
      rollupOptions: {
        // Two entries: the Electron main process, and the browser host that serves the same console
        // where no Electron binary exists.
        input: {
          index: resolve('src/main/index.ts'),
          host: resolve('src/main/host/cli.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      // A sandboxed preload cannot require node_modules: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    resolve: { alias },
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
