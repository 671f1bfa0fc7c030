import { useDesk } from '../store';

/**
 * The account an account-scoped screen shows: the one last chosen anywhere (kept in the preferences,
 * so it survives a restart) when it is in `ids`, else the first.
 */
export function useAccountChoice(ids: readonly string[]): [string, (id: string) => void] {
  const last = useDesk((s) => s.lastAccount);
  const remember = useDesk((s) => s.rememberAccount);
  const current = last && ids.includes(last) ? last : (ids[0] ?? '');
  return [current, remember];
}
