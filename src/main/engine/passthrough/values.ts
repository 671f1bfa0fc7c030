import type { UserRow } from '../../store/users';
import type { PlaceholderValues } from './render';

export interface DeviceInfo {
  os?: string | undefined;
  name?: string | undefined;
  ip?: string | undefined;
}

/** `::ffff:127.0.0.1` is how Node shows an IPv4 peer on a dual-stack socket: the service wants `127.0.0.1`. */
export const plainPeer = (peer: string | null | undefined): string | null =>
  peer ? peer.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') : null;

/** The placeholder values of one login. `{{DEVICEIP}}` is the caller's device.ip, else the peer address. */
export function placeholderValues(
  user: UserRow,
  email: string,
  password: string,
  accountId: string,
  device: DeviceInfo | undefined,
  peer: string | null,
): PlaceholderValues {
  return {
    USERID: String(user.id),
    USEREMAIL: email,
    USERPASSWORD: password,
    USEREXTERNALID: user.externalId ?? '',
    ORGID: accountId,
    DEVICEOS: device?.os ?? '',
    DEVICENAME: device?.name ?? '',
    DEVICEIP: device?.ip ?? plainPeer(peer) ?? '',
  };
}
