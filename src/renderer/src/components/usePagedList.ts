import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result } from '@shared/result';

/** One page of a list read newest first: its items and the cursor of the next, older page (null at the end). */
export interface Page<T> {
  items: T[];
  nextBefore: number | null;
}

/**
 * A list read page by page, newest first, for a filter (Audit, Sign-in logs). A new filter starts again
 * from the first page; an answer to an older filter is dropped, so a fast typist never sees the rows of
 * what they typed before. `filterKey` is the filter as JSON: a stable value for the effect.
 */
export function usePagedList<F, T>(filterKey: string, read: (filter: F, before?: number) => Promise<Result<Page<T>>>) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const query = useRef(0);
  // The reader is a new function each render; the filter decides when to read again.
  const reader = useRef(read);
  reader.current = read;

  useEffect(() => {
    const mine = ++query.current;
    void reader.current(JSON.parse(filterKey) as F).then((r) => {
      if (mine !== query.current) return;
      setLoaded(true);
      if (r.ok) {
        setItems(r.value.items);
        setNext(r.value.nextBefore);
        setError(null);
      } else setError(r.error.message);
    });
  }, [filterKey]);

  const loadMore = useCallback(() => {
    if (next === null) return;
    const mine = query.current;
    void reader.current(JSON.parse(filterKey) as F, next).then((r) => {
      if (mine !== query.current || !r.ok) return;
      setItems((old) => [...old, ...r.value.items]);
      setNext(r.value.nextBefore);
    });
  }, [next, filterKey]);

  return { items, next, error, setError, loaded, loadMore };
}
