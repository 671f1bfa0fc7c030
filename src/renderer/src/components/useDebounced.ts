import { useEffect, useState } from 'react';

/** `value` once it has stood still for `ms`: a search box reads the list on a pause in typing, not per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
