import type { App } from 'electron';

/**
 * One SSO Desk at a time per user: a second launch (e.g. the OS opening a `sso-desk://` link) hands
 * its command line to the first and quits. Two instances would open one SQLite database twice and
 * fight over the loopback ports.
 * @returns false when another instance holds the lock (this one is quitting).
 */
type LockingApp = Pick<App, 'requestSingleInstanceLock' | 'quit'> & {
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
};

export function claimSingleInstance(app: LockingApp, onSecondLaunch: (argv: string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => onSecondLaunch(argv));
  return true;
}
