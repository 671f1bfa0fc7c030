import type React from 'react';
import type { TestReport } from '@shared/contract/oidc';

const HEADLINE: Record<TestReport['verdict'], string> = {
  ok: 'Connection OK',
  unreachable: 'This computer cannot reach the IdP (DNS, proxy, TLS)',
  refused: 'The IdP answered no: it refused this client ID or redirect URI',
  problems: 'Connection has problems',
  unconfirmed: 'Connection OK; the client is not confirmed — a Test sign-in will tell',
};

/**
 * Test connection's answer: the one-line verdict, each finding, each URL SSO Desk tried (no secret is
 * ever in one), and what it could not check from here.
 */
export function TestReportView({
  report,
  stale = false,
  sectionRef,
}: {
  report: TestReport;
  /** The settings changed after this test: the result no longer describes them. */
  stale?: boolean;
  /** Focus moves here after a test. */
  sectionRef?: React.Ref<HTMLElement>;
}) {
  return (
    <section
      aria-label="Test connection results"
      className={stale ? 'card stale' : 'card'}
      tabIndex={-1}
      ref={sectionRef}
    >
      <h2>
        {stale ? 'Stale: the settings changed after this test — ' : ''}
        {HEADLINE[report.verdict]} · {report.durationMs} milliseconds
      </h2>
      <ul aria-label="Findings">
        {report.findings.map((f) => (
          <li key={f.check} className={f.level === 'ok' ? 'good' : f.level === 'warning' ? 'warn' : 'bad'}>
            {f.level === 'ok' ? '✓' : f.level === 'warning' ? '⚠' : '✗'} {f.message}
          </li>
        ))}
      </ul>
      {report.tried.length > 0 && (
        <>
          <h3 id="tc-tried">URLs tried</h3>
          <ol aria-labelledby="tc-tried">
            {report.tried.map((t, i) => (
              <li key={i}>
                {t.what}:{' '}
                <code style={{ overflowWrap: 'anywhere' }}>
                  {t.method} {t.url}
                </code>{' '}
                — {t.outcome}
              </li>
            ))}
          </ol>
        </>
      )}
      {report.unchecked.length > 0 && (
        <>
          <h3 id="tc-unchecked">Not checked</h3>
          <ul aria-labelledby="tc-unchecked">
            {report.unchecked.map((u) => (
              <li key={u} className="muted">
                {u}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
