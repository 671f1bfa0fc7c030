import { create } from 'zustand';
import type { AppInfo } from '../../shared/contract/app';
import { api } from './api';

export const SCREENS = ['settings', 'simulator', 'inspector', 'audit', 'keys'] as const;
export type Screen = (typeof SCREENS)[number];

interface DeskState {
  screen: Screen;
  info: AppInfo | null;
  infoError: string | null;
  theme: 'system' | 'light' | 'dark';
  go(screen: Screen): void;
  refreshInfo(): Promise<void>;
  loadPrefs(): Promise<void>;
  setTheme(theme: 'system' | 'light' | 'dark'): Promise<void>;
}

const screenFromHash = (): Screen => {
  const name = window.location.hash.replace(/^#\/?/, '').split('/')[0];
  return (SCREENS as readonly string[]).includes(name ?? '') ? (name as Screen) : 'settings';
};

export const useDesk = create<DeskState>((set) => ({
  screen: screenFromHash(),
  info: null,
  infoError: null,
  theme: 'system',
  go(screen) {
    history.replaceState(null, '', `#/${screen}`);
    set({ screen });
  },
  async refreshInfo() {
    const r = await api.app.info();
    if (r.ok) set({ info: r.value, infoError: null });
    else set({ infoError: r.error.message });
  },
  async loadPrefs() {
    const r = await api.app.prefs.get();
    if (r.ok) set({ theme: r.value.theme });
  },
  async setTheme(theme) {
    const r = await api.app.prefs.set({ theme });
    if (r.ok) set({ theme: r.value.theme });
  },
}));
