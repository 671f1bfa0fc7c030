import * as RadixTabs from '@radix-ui/react-tabs';
import type { ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: ReactNode;
  render: () => ReactNode;
}

/**
 * Tabs (Radix): arrow keys move between tabs, Home/End jump, the selected tab is the one tab stop.
 * Controlled when `value` is given. `activation="manual"` when choosing a tab is expensive.
 */
export function Tabs(props: {
  label: string;
  items: readonly TabItem[];
  value?: string;
  onValueChange?: (id: string) => void;
  className?: string;
  activation?: 'automatic' | 'manual';
}) {
  return (
    <RadixTabs.Root
      className={props.className ?? 'tabs'}
      {...(props.value !== undefined ? { value: props.value } : { defaultValue: props.items[0]?.id })}
      {...(props.onValueChange ? { onValueChange: props.onValueChange } : {})}
      activationMode={props.activation ?? 'automatic'}
    >
      <RadixTabs.List aria-label={props.label} className="tablist">
        {props.items.map((t) => (
          <RadixTabs.Trigger key={t.id} value={t.id} className="tab">
            {t.label}
          </RadixTabs.Trigger>
        ))}
      </RadixTabs.List>
      {props.items.map((t) => (
        <RadixTabs.Content key={t.id} value={t.id} className="tabpanel">
          {t.render()}
        </RadixTabs.Content>
      ))}
    </RadixTabs.Root>
  );
}

export { RadixTabs };
