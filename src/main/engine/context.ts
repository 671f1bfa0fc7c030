import type { Store } from '../store/db';
import type { NewAuditEvent } from '../store/audit';
import type { Platform } from './platform';

/** The URLs of the loopback services, once they listen (null until their features land or start). */
export interface ServiceUrls {
  api: string | null;
  idp: string | null;
  passthrough: string | null;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Everything a handler may touch. Built once by the host (Electron or browser) at start-up. */
export interface EngineContext {
  readonly store: Store;
  readonly platform: Platform;
  readonly urls: ServiceUrls;
  readonly clock: Clock;
  readonly version: string;
  readonly log: (line: string) => void;
  /** Appends an audit event stamped with this context's clock. Pass redacted material only. */
  readonly audit: (event: Omit<NewAuditEvent, 'at'>) => void;
}
