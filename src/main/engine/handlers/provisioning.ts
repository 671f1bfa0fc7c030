import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import {
  mapGroup,
  provisioningView,
  revokeProvisioningToken,
  rotateProvisioningToken,
  setProvisioningEnabled,
  unmapGroup,
} from '../scim/console';
import { selfCheck } from '../scim/self-check';

type Names =
  | 'provisioning.get'
  | 'provisioning.setEnabled'
  | 'provisioning.rotateToken'
  | 'provisioning.revokeToken'
  | 'provisioning.mapGroup'
  | 'provisioning.unmapGroup'
  | 'provisioning.selfCheck';

/** Settings › Provisioning: the SCIM switch, token, group-to-team mappings and the self-check. */
export function provisioningHandlers(ctx: EngineContext): Pick<Handlers, Names> {
  return {
    'provisioning.get': (i) => provisioningView(ctx, i.account),
    'provisioning.setEnabled': (i) => setProvisioningEnabled(ctx, i.account, i.enabled),
    'provisioning.rotateToken': (i) => rotateProvisioningToken(ctx, i.account),
    'provisioning.revokeToken': (i) => revokeProvisioningToken(ctx, i.account),
    'provisioning.mapGroup': (i) => mapGroup(ctx, i.account, i.groupName, i.bot, i.level),
    'provisioning.unmapGroup': (i) => unmapGroup(ctx, i.account, i.groupName, i.bot),
    'provisioning.selfCheck': (i) => selfCheck(ctx, i.account),
  };
}
