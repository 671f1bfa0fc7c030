import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Tests that spawn the built host need the build: make it once when missing. */
export default function setup(): void {
  if (!existsSync('out/main/host.js') || !existsSync('out/renderer/index.html')) {
    execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  }
}
