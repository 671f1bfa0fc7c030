import type { SimRunView } from '@shared/contract/simulator';
import { When } from '@renderer/components/When';
import { verdictOf } from './Verdict';

/** The runs kept while the app runs, newest first, each with its verdict; one is shown in full. */
export function RecentRuns({
  runs,
  current,
  onShow,
}: {
  runs: SimRunView[];
  current: string | null;
  onShow: (runId: string) => void;
}) {
  if (runs.length === 0) return null;
  return (
    <section aria-labelledby="recent-runs">
      <h2 id="recent-runs">Recent runs</h2>
      <ul className="runs-list" aria-labelledby="recent-runs">
        {runs.map((r) => {
          const v = verdictOf(r);
          return (
            <li key={r.runId}>
              <span className={`pill ${v.tone === 'busy' ? '' : v.tone}`}>{v.head}</span>
              <button
                type="button"
                aria-current={r.runId === current ? 'true' : undefined}
                onClick={() => onShow(r.runId)}
              >
                {r.title}
              </button>
              <span className="muted">
                <When at={r.startedAt} />
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
