import { useEffect, useRef, useState } from 'react';
import type { AccountSummary } from '@shared/contract/workspace';
import type { TraceStep } from '@shared/trace';
import { api } from '@renderer/api';
import { useDesk } from '@renderer/store';
import { handToInspector } from '@renderer/screens/inspector/token-handoff';
import { useSim } from './sim-store';

export interface ResetResult {
  status: number;
  message: string;
  trace: TraceStep[];
}

/**
 * The Simulator's state around the run store: a re-run's prefill, the accounts to choose from, the
 * password (never stored), starting a run and moving focus to its verdict, the reset mail, the
 * hand-off of an ID token to the Inspector.
 */
export function useSimulator() {
  const go = useDesk((s) => s.go);
  // Read once; cleared in the effect (an initializer must stay pure: StrictMode calls it twice).
  const [prefill] = useState(() => useDesk.getState().simPrefill);
  const sim = useSim();
  const { form, runs, current, start, fillDevice } = sim;
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [password, setPassword] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [forgot, setForgot] = useState<ResetResult | null>(null);
  // The password typed for each run: a last scrub of the evidence built here (the engine already masked it).
  const typed = useRef(new Map<string, string>());
  const verdictRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (prefill) {
      useDesk.setState({ simPrefill: null });
      useSim.getState().setForm({
        email: prefill.email,
        account: prefill.account ?? '',
        method: prefill.method,
        device: { os: prefill.device.os ?? '', name: prefill.device.name ?? '', ip: prefill.device.ip ?? '' },
        freshLogin: prefill.freshLogin ?? false,
        countAgainstCustomer: prefill.countAgainstCustomer ?? false,
      });
      useSim.setState({ deviceFilled: true });
    } else void fillDevice();
    void api.workspace.accounts().then((r) => (r.ok ? setAccounts(r.value) : setLoadError(r.error.message)));
  }, [prefill, fillDevice]);

  const run = runs.find((r) => r.runId === current) ?? null;

  const submit = async (accountOverride?: string) => {
    setForgot(null);
    const started = await start(password, accountOverride);
    if (started && password) typed.current.set(started.runId, password);
    // Focus moves to the verdict, so keyboard and screen-reader users land on the answer.
    requestAnimationFrame(() => verdictRef.current?.focus());
  };

  const sendReset = async () => {
    const r = await api.simulate.forgotPassword({
      email: form.email,
      ...(form.account ? { account: form.account } : {}),
    });
    if (r.ok) setForgot(r.value);
    else setLoadError(r.error.message);
  };

  const inspect = async () => {
    if (!run) return;
    const r = await api.simulate.run.idToken({ runId: run.runId });
    if (!r.ok) return useSim.setState({ error: r.error.message });
    handToInspector(r.value.token, run.accountId ?? run.input.account ?? null);
    go('inspector');
  };

  const secrets = run && typed.current.has(run.runId) ? [typed.current.get(run.runId)!] : [];
  return {
    ...sim,
    ...{ prefill, accounts, password, setPassword, loadError, forgot, run, secrets, verdictRef },
    ...{ submit, sendReset, inspect },
  };
}
