import { create } from 'zustand';

/**
 * "Pick one from a run": another screen (the Simulator) hands a token to Inspector > Tokens with
 * `handToInspector(token, account)` and then switches to the Inspector; Tokens takes it once on mount.
 * The account lets Tokens pre-fill the expected audience with that account's client ID.
 */
export interface HandedToken {
  token: string;
  account: string | null;
}

interface TokenHandoff {
  pending: HandedToken | null;
  take(): HandedToken | null;
}

export const useTokenHandoff = create<TokenHandoff>((set, get) => ({
  pending: null,
  take() {
    const t = get().pending;
    if (t !== null) set({ pending: null });
    return t;
  },
}));

export const handToInspector = (token: string, account: string | null = null): void =>
  useTokenHandoff.setState({ pending: { token, account } });
