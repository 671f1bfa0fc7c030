import { useState } from 'react';
import { downloadText } from '@renderer/components/download';
import type { SimRunView } from '@shared/contract/simulator';
import { toHar } from '@shared/har';
import { api } from '@renderer/api';

/** Downloads the run's HTTP exchanges as a HAR file (typed secrets scrubbed); says what it wrote. */
function downloadHar(run: SimRunView, version: string, secrets: string[]): string {
  const har = toHar({ startedAt: run.startedAt, title: run.title, steps: run.steps }, version, secrets);
  const name =
    `sso-desk-${run.input.email.replace(/[^A-Za-z0-9.-]+/g, '_')}-` +
    `${new Date(run.startedAt).toISOString().slice(0, 19).replace(/[:T]/g, '-')}.har`;
  downloadText(JSON.stringify(har, null, 2), 'application/json', name);
  return `Exported ${har.log.entries.length} HTTP exchanges as ${name}.`;
}

/** What can be done with a run (export, keep in the audit, pick an account, log out), and the note each leaves. */
export function useRunActions(run: SimRunView, version: string, secrets: string[]) {
  const [note, setNote] = useState<string | null>(null);
  const exportHar = () => setNote(downloadHar(run, version, secrets));
  const save = async () => {
    const r = await api.simulate.save({ runId: run.runId });
    setNote(r.ok ? `Saved to the audit log (event #${r.value.auditId}).` : r.error.message);
  };
  const pick = async (id: string) => {
    if (!run.sso) return;
    const r = await api.sso.signin.pick({ flowId: run.sso.flowId, account: id });
    if (!r.ok) setNote(r.error.message);
  };
  const logout = async () => {
    const r = await api.simulate.run.logout({ runId: run.runId });
    if (!r.ok) return setNote(r.error.message);
    if (r.value.endSessionUrl && r.value.openedBy === 'console')
      window.open(r.value.endSessionUrl, '_blank', 'noopener');
    setNote(
      r.value.endSessionUrl
        ? 'Signed out of SSO Desk; the IdP was asked to end its session too.'
        : 'Signed out of SSO Desk. The IdP has no end_session_endpoint: its session remains.',
    );
  };
  return { note, exportHar, save, pick, logout };
}
