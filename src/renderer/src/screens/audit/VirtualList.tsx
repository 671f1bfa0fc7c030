import { useRef, useState, type ReactNode, type UIEvent } from 'react';

/**
 * A fixed-row-height virtual list: only the rows in view (plus a margin) are in the DOM, so a list
 * of a million events scrolls like a list of fifty. Asks for more when the end comes into view.
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
  const [scrollTop, setScrollTop] = useState(0);
  const asked = useRef(-1);
  const margin = 10;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - margin);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + margin);
  const onScroll = (e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop);
  if (onNearEnd && last >= items.length - margin && asked.current !== items.length) {
    asked.current = items.length;
    queueMicrotask(onNearEnd);
  }
  return (
    <div role="rowgroup" aria-label={label} className="vlist" style={{ height, overflowY: 'auto' }} onScroll={onScroll}>
      <div style={{ height: items.length * rowHeight, position: 'relative' }}>
        {items.slice(first, last).map((item, i) => (
          <div key={first + i} style={{ position: 'absolute', top: (first + i) * rowHeight, height: rowHeight, left: 0, right: 0 }}>
            {renderRow(item, first + i)}
          </div>
        ))}
      </div>
    </div>
  );
}
