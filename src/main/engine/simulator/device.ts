import { hostname, networkInterfaces, type } from 'node:os';

/**
 * This machine as a login device, the Simulator's defaults: the OS type (`Linux`, `Darwin`,
 * `Windows_NT`), the host name, and the first non-internal IPv4 address (loopback when there is none).
 */
export function thisDevice(): { os: string; name: string; ip: string } {
  let ip = '127.0.0.1';
  for (const list of Object.values(networkInterfaces())) {
    const found = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) {
      ip = found.address;
      break;
    }
  }
  return { os: type(), name: hostname(), ip };
}
