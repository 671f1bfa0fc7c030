import { create } from 'zustand';
import type { SimRunRecord, SimRunView } from '@shared/contract/simulator';
import { api, transport } from '../../api';

export type Method = SimRunRecord['method'];

/** The Simulator's form, without the password (which is never kept beyond the field). */
export interface SimForm {
  account: string;
  email: string;
  method: Method;
  device: { os: string; name: string; ip: string };
  freshLogin: boolean;
  countAgainstCustomer: boolean;
}

interface SimState {
  form: SimForm;
  /** Whether the device defaults of this machine were filled in once. */
  deviceFilled: boolean;
  /** Recent runs, newest first, kept while the app runs (a visit to another screen keeps them). */
  runs: SimRunView[];
  /** The run shown in full. */
  current: string | null;
  error: string | null;
  setForm(patch: Partial<SimForm>): void;
  fillDevice(): Promise<void>;
  start(password: string, accountOverride?: string): Promise<SimRunView | null>;
  show(runId: string): void;
  update(run: SimRunView): void;
}

/** How many runs the list keeps. */
export const KEEP_RUNS = 20;

const polls = new Map<string, number>();

/** Follows a run until it is done, whichever screen is open. */
function follow(runId: string): void {
  if (polls.has(runId)) return;
  const timer = window.setInterval(async () => {
    const r = await api.simulate.run.status({ runId });
    if (!r.ok) {
      window.clearInterval(timer);
      polls.delete(runId);
      return;
    }
    useSim.getState().update(r.value);
    if (r.value.state === 'done') {
      window.clearInterval(timer);
      polls.delete(runId);
    }
  }, 300);
  polls.set(runId, timer);
}

export const useSim = create<SimState>((set, get) => ({
  form: {
    account: '',
    email: '',
    method: 'auto',
    device: { os: '', name: '', ip: '' },
    freshLogin: false,
    countAgainstCustomer: false,
  },
  deviceFilled: false,
  runs: [],
  current: null,
  error: null,
  setForm(patch) {
    set({ form: { ...get().form, ...patch } });
  },
  async fillDevice() {
    if (get().deviceFilled) return;
    set({ deviceFilled: true });
    const r = await api.simulate.device();
    if (!r.ok) return;
    const d = get().form.device;
    set({
      form: { ...get().form, device: { os: d.os || r.value.os, name: d.name || r.value.name, ip: d.ip || r.value.ip } },
    });
  },
  async start(password, accountOverride) {
    const f = get().form;
    const account = accountOverride ?? f.account;
    if (accountOverride) set({ form: { ...f, account: accountOverride } });
    set({ error: null });
    const device: { os?: string; name?: string; ip?: string } = {};
    if (f.device.os) device.os = f.device.os;
    if (f.device.name) device.name = f.device.name;
    if (f.device.ip) device.ip = f.device.ip;
    const r = await api.simulate.run.start({
      email: f.email,
      method: f.method,
      device,
      ...(password ? { password } : {}),
      ...(account ? { account } : {}),
      ...(f.freshLogin ? { freshLogin: true } : {}),
      ...(f.countAgainstCustomer ? { countAgainstCustomer: true } : {}),
    });
    if (!r.ok) {
      set({ error: r.error.message });
      return null;
    }
    set({ runs: [r.value, ...get().runs].slice(0, KEEP_RUNS), current: r.value.runId });
    const sso = r.value.sso;
    // The browser host cannot open a tab from the server: the console opens the IdP's page itself.
    if (sso && sso.openedBy === 'console' && transport === 'http')
      window.open(sso.authorizationUrl, '_blank', 'noopener');
    if (r.value.state !== 'done') follow(r.value.runId);
    return r.value;
  },
  show(runId) {
    set({ current: runId });
  },
  update(run) {
    set({ runs: get().runs.map((r) => (r.runId === run.runId ? run : r)) });
  },
}));
