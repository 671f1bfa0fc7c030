import { useEffect, useState, type ReactNode } from 'react';
import { useDesk } from '../store';
import { useUnsaved } from './ui/unsaved';

export interface Section {
  id: string;
  label: string;
  render: () => ReactNode;
}

/** A screen made of sections with a side navigation (Settings, Simulator, Inspector). */
export function Sections({ label, sections }: { label: string; sections: readonly Section[] }) {
  const requested = useDesk((s) => s.section);
  const leave = useUnsaved((s) => s.leave);
  const [current, setCurrent] = useState<string>(() =>
    requested && sections.some((s) => s.id === requested) ? requested : (sections[0]?.id ?? ''),
  );
  // A link within the screen (Tokens → Deep links) asks for a section while the screen stays open.
  useEffect(() => {
    if (requested && sections.some((s) => s.id === requested)) setCurrent(requested);
    // Only a new request moves the screen; the sections list may be rebuilt on every render.
  }, [requested]);
  const section = sections.find((s) => s.id === current) ?? sections[0];
  return (
    <div className="split">
      <nav aria-label={`${label} sections`} className="sidenav">
        {sections.map((s) => (
          <button
            key={s.id}
            aria-current={s.id === current ? 'page' : undefined}
            onClick={() => s.id !== current && leave(() => setCurrent(s.id))}
          >
            {s.label}
          </button>
        ))}
      </nav>
      <div className="content">{section?.render()}</div>
    </div>
  );
}
