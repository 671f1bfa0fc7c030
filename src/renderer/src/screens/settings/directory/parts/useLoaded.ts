import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { Result } from '@shared/result';

export type Msg = { ok: boolean; text: string } | null;
/** Shows an action's answer (`text` when it worked, the error when not) and reloads. */
export type Say = (r: { ok: true } | { ok: false; error: { message: string } }, text: string) => Promise<void>;

/**
 * A directory list: loaded from one channel at mount and on `reload()`, with the screen's message line
 * (a failed load says why there). `say(r, text)` shows an action's answer and reloads. `deps`: what
 * the fetch depends on (an account id); the latest `fetch` is always the one called.
 */
export function useLoaded<T>(fetch: () => Promise<Result<T>>, deps: DependencyList = []) {
  const [data, setData] = useState<T | null>(null);
  const [message, setMessage] = useState<Msg>(null);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const reload = useCallback(async () => {
    const r = await fetchRef.current();
    if (r.ok) setData(r.value);
    else setMessage({ ok: false, text: r.error.message });
  }, deps);
  useEffect(() => void reload(), [reload]);
  const say: Say = useCallback(
    async (r, text) => {
      setMessage(r.ok ? { ok: true, text } : { ok: false, text: r.error.message });
      await reload();
    },
    [reload],
  );
  return { data, message, setMessage, reload, say };
}
