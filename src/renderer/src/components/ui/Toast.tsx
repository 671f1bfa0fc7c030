import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import * as RadixToast from '@radix-ui/react-toast';

interface ToastItem {
  id: number;
  text: string;
  tone: 'good' | 'bad';
}
type Show = (text: string, tone?: 'good' | 'bad') => void;
const ToastContext = createContext<Show | null>(null);

/** Short confirmations of finished actions (Radix Toast): announced politely, F8 reaches them, Escape dismisses. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const show = useCallback<Show>((text, tone = 'good') => {
    setItems((list) => [...list.slice(-2), { id: Date.now() + Math.random(), text, tone }]);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      <RadixToast.Provider swipeDirection="right" duration={6000} label="Notification">
        {children}
        {items.map((t) => (
          <RadixToast.Root
            key={t.id}
            className={`toast ${t.tone}`}
            type={t.tone === 'bad' ? 'foreground' : 'background'}
            onOpenChange={(open) => !open && setItems((list) => list.filter((x) => x.id !== t.id))}
          >
            <RadixToast.Description>{t.text}</RadixToast.Description>
            <RadixToast.Close className="toast-close" aria-label="Dismiss">
              ×
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        <RadixToast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): Show {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast needs a ToastProvider above it');
  return show;
}
