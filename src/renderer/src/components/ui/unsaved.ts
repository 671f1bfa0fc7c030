import { create } from 'zustand';

/**
 * Which forms hold unsaved drafts, and the one question "leave without saving?". Every way to
 * leave a form (top navigation, a settings section, another account) goes through `leave`.
 */
interface UnsavedState {
  /** Form id → what it edits ("SSO settings of Acme Corp"). */
  dirty: Record<string, string>;
  /** The navigation waiting for an answer, if any. */
  pending: (() => void) | null;
  setDirty(id: string, label: string | null): void;
  /** Runs `go` now when nothing is unsaved; otherwise asks first (the dialog in <UnsavedChangesDialog/>). */
  leave(go: () => void): void;
  answer(discard: boolean): void;
}

export const useUnsaved = create<UnsavedState>((set, get) => ({
  dirty: {},
  pending: null,
  setDirty(id, label) {
    const dirty = { ...get().dirty };
    if (label === null) {
      if (!(id in dirty)) return;
      delete dirty[id];
    } else {
      if (dirty[id] === label) return;
      dirty[id] = label;
    }
    set({ dirty });
  },
  leave(go) {
    if (Object.keys(get().dirty).length === 0) return go();
    set({ pending: go });
  },
  answer(discard) {
    const go = get().pending;
    if (discard) set({ dirty: {}, pending: null });
    else set({ pending: null });
    if (discard) go?.();
  },
}));

/** The browser's own question when the window is closed or reloaded with unsaved drafts. */
export function installBeforeUnload(): () => void {
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (Object.keys(useUnsaved.getState().dirty).length === 0) return;
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  return () => window.removeEventListener('beforeunload', onBeforeUnload);
}
