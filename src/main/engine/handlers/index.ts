import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { appHandlers } from './app';
import { workspaceHandlers } from './workspace';
import { platformSsoHandlers } from './platform-sso';
import { passthroughHandlers } from './passthrough';
import { ssoHandlers } from './sso';
import { auditHandlers } from './audit';
import { signinLogHandlers } from './signin-log';
import { inspectHandlers } from './inspect';
import { simulatorHandlers } from './simulator';
import { provisioningHandlers } from './provisioning';
import { directoryHandlers } from './directory';
import { networkHandlers } from './network';

/** Every area's handlers, registered in one place. Adding an area is one line here. */
export function createHandlers(ctx: EngineContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...workspaceHandlers(ctx),
    ...platformSsoHandlers(ctx),
    ...passthroughHandlers(ctx),
    ...ssoHandlers(ctx),
    ...auditHandlers(ctx),
    ...signinLogHandlers(ctx),
    ...inspectHandlers(ctx),
    ...simulatorHandlers(ctx),
    ...provisioningHandlers(ctx),
    ...directoryHandlers(ctx),
    ...networkHandlers(ctx),
  };
}
