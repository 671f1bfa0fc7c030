import { create } from 'zustand';
import type { AppInfo } from '@shared/contract/app';
import type { SimRunRecord } from '@shared/contract/simulator';
import { api } from './api';

export const SCREENS = ['home', 'settings', 'simulator', 'inspector', 'audit', 'signins', 'keys'] as const;
export type Screen = (typeof SCREENS)[number];

interface DeskState {
  screen: Screen;
  info: AppInfo | null;
  infoError: string | null;
  theme: 'system' | 'light' | 'dark';
  /** The account last chosen on an account-scoped screen, kept in the preferences. */
  lastAccount: string | null;
  rememberAccount(id: string): void;
  /** A saved run to replay: the Audit screen's "Re-run" leaves it here for the Simulator (never a password). */
  simPrefill: SimRunRecord | null;
  /** A section asked for by a link (Home's next steps): the screen opens on it. */
  section: string | null;
  go(screen: Screen, section?: string): void;
  rerun(input: SimRunRecord): void;
  takeSimPrefill(): SimRunRecord | null;
  refreshInfo(): Promise<void>;
  loadPrefs(): Promise<void>;
  setTheme(theme: 'system' | 'light' | 'dark'): Promise<void>;
}

const screenFromHash = (): Screen => {
  const name = window.location.hash.replace(/^#\/?/, '').split('/')[0];
  return (SCREENS as readonly string[]).includes(name ?? '') ? (name as Screen) : 'home';
};

export const useDesk = create<DeskState>((set, get) => ({
  screen: screenFromHash(),
  info: null,
  infoError: null,
  theme: 'system',
  lastAccount: null,
  rememberAccount(id) {
    set({ lastAccount: id });
    void api.app.prefs.set({ lastAccount: id });
  },
  simPrefill: null,
  section: null,
  go(screen, section) {
    history.replaceState(null, '', `#/${screen}`);
    set({ screen, section: section ?? null });
  },
  rerun(input) {
    set({ simPrefill: input });
    get().go('simulator');
  },
  takeSimPrefill() {
    const p = get().simPrefill;
    if (p) set({ simPrefill: null });
    return p;
  },
  async refreshInfo() {
    const r = await api.app.info();
    if (r.ok) set({ info: r.value, infoError: null });
    else set({ infoError: r.error.message });
  },
  async loadPrefs() {
    const r = await api.app.prefs.get();
    if (r.ok) set({ theme: r.value.theme, lastAccount: r.value.lastAccount });
  },
  async setTheme(theme) {
    const r = await api.app.prefs.set({ theme });
    if (r.ok) set({ theme: r.value.theme });
  },
}));

// The desktop app opens a screen named by an sso-desk:// link by changing the fragment: follow it.
window.addEventListener('hashchange', () => useDesk.setState({ screen: screenFromHash() }));
