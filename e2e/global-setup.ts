import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** The specs drive the built console: build once when the build is missing. */
export default function globalSetup(): void {
  if (!existsSync('out/main/host.js') || !existsSync('out/renderer/index.html')) {
    execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  }
}
