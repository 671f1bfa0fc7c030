import { useEffect, useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/**
 * A virtual list (@tanstack/react-virtual): only the rows in view (plus a margin) are in the DOM, so
 * a list of a million events scrolls like a list of fifty. A plain list (ul/li) with one button per
 * row: valid ARIA without the grid roles a hand-written list got wrong. Asks for more near the end.
 */
export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  height: number;
  label: string;
  renderRow: (item: T, index: number) => ReactNode;
  onNearEnd?: () => void;
}) {
  const { items, rowHeight, height, label, renderRow, onNearEnd } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const asked = useRef(-1);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows.length ? rows[rows.length - 1]!.index : -1;
  useEffect(() => {
    if (onNearEnd && items.length > 0 && last >= items.length - 10 && asked.current !== items.length) {
      asked.current = items.length;
      onNearEnd();
    }
  }, [last, items.length, onNearEnd]);
  return (
    <div ref={scroller} className="vlist" style={{ height, overflowY: 'auto' }}>
      <ul aria-label={label} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => (
          <li
            key={row.key}
            style={{
              position: 'absolute',
              top: 0,
              left: 0,
              right: 0,
              height: rowHeight,
              transform: `translateY(${row.start}px)`,
            }}
          >
            {renderRow(items[row.index]!, row.index)}
          </li>
        ))}
      </ul>
    </div>
  );
}
