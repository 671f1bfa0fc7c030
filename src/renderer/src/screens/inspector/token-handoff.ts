import { create } from 'zustand';

/**
 * "Pick one from a run": another screen (the Simulator) hands a token to Inspector > Tokens with
 * `handToInspector(token)` and then switches to the Inspector; Tokens takes it once on mount.
 */
interface TokenHandoff {
  pending: string | null;
  take(): string | null;
}

export const useTokenHandoff = create<TokenHandoff>((set, get) => ({
  pending: null,
  take() {
    const t = get().pending;
    if (t !== null) set({ pending: null });
    return t;
  },
}));

export const handToInspector = (token: string): void => useTokenHandoff.setState({ pending: token });
