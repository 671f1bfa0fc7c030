import { useRef, useState } from 'react';
import type { TestReport } from '@shared/contract/oidc';
import { api } from '@renderer/api';
import { Notice } from '@renderer/components/Notice';
import { TestReportView } from '../TestReportView';
import { toInput, withLabels, type SsoFormValues } from './oidc-draft';

interface TestResult {
  report: TestReport;
  /** The fingerprint of the draft the test ran on: once a field the IdP sees changes, the result is stale. */
  fingerprint: string;
}

export type ConnectionTest = ReturnType<typeof useConnectionTest>;

/** "Test connection" on the draft: its report, and whether the draft has moved on since. */
export function useConnectionTest(onTested: () => Promise<void>) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const resultRef = useRef<HTMLElement>(null);
  const run = async (d: SsoFormValues, fingerprint: string) => {
    setTesting(true);
    setTest(null);
    const { enabled: _e, actor: _a, confirmLockout: _c, ownerPassword: _o, stage: _s, ...rest } = toInput(d);
    const r = await api.sso.oidc.test(rest);
    setTesting(false);
    if (r.ok) {
      setTest({ report: r.value, fingerprint });
      await onTested();
      resultRef.current?.focus();
    } else setMessage({ ok: false, text: withLabels(r.error.message) });
  };
  /** Save stored what the test ran on under a new fingerprint (a typed secret became the stored one). */
  const carry = (tested: string, saved: string) =>
    setTest((t) => (t && t.fingerprint === tested ? { ...t, fingerprint: saved } : t));
  return { message, test, testing, resultRef, run, carry };
}

export function TestConnection({
  connection,
  d,
  fingerprint,
}: {
  connection: ConnectionTest;
  d: SsoFormValues;
  fingerprint: string;
}) {
  const { test, testing } = connection;
  return (
    <>
      <p>
        <button type="button" onClick={() => void connection.run(d, fingerprint)} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
      </p>
      <Notice message={connection.message} />
      {test && (
        <TestReportView
          report={test.report}
          stale={test.fingerprint !== fingerprint}
          sectionRef={connection.resultRef}
        />
      )}
    </>
  );
}
