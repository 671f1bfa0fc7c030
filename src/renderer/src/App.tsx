import { useEffect, useRef } from 'react';
import * as RadixTabs from '@radix-ui/react-tabs';
import { SCREENS, useDesk, type Screen } from './store';
import { StatusBar } from './components/StatusBar';
import { HomeScreen } from './screens/Home';
import { SettingsScreen } from './screens/Settings';
import { KeysScreen } from './screens/Keys';
import { SimulatorScreen } from './screens/Simulator';
import { InspectorScreen } from './screens/Inspector';
import { AuditScreen } from './screens/Audit';
import { SigninLogsScreen } from './screens/SigninLogs';
import { ConfirmProvider } from './components/ui/ConfirmDialog';
import { ToastProvider } from './components/ui/Toast';
import { UnsavedChangesDialog } from './components/ui/UnsavedChangesDialog';
import { installBeforeUnload, useUnsaved } from './components/ui/unsaved';
import { AppIcon } from './components/ui/AppIcon';

const LABELS: Record<Screen, string> = {
  home: 'Home',
  settings: 'Settings',
  simulator: 'Simulator',
  inspector: 'Inspector',
  audit: 'Audit',
  signins: 'Sign-in logs',
  keys: 'Keys',
};

function Body({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'home':
      return <HomeScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'keys':
      return <KeysScreen />;
    case 'simulator':
      return <SimulatorScreen />;
    case 'inspector':
      return <InspectorScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'signins':
      return <SigninLogsScreen />;
  }
}

export function App() {
  const { screen, go, refreshInfo, loadPrefs, theme } = useDesk();
  const leave = useUnsaved((s) => s.leave);
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    void refreshInfo();
    void loadPrefs();
  }, [refreshInfo, loadPrefs]);
  useEffect(() => installBeforeUnload(), []);
  useEffect(() => {
    const system = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset['theme'] = theme === 'system' ? (system.matches ? 'dark' : 'light') : theme;
    };
    apply();
    system.addEventListener('change', apply);
    return () => system.removeEventListener('change', apply);
  }, [theme]);
  return (
    <ConfirmProvider>
      <ToastProvider>
        <RadixTabs.Root
          className="shell"
          value={screen}
          // Radix activates a tab on Enter's keydown; asking at once would put focus on the dialog's
          // button before the same key's keypress, which would then press it. Ask once the key is done.
          onValueChange={(s) => s !== screen && window.setTimeout(() => leave(() => go(s as Screen)))}
          activationMode="manual"
        >
          <a
            href="#main"
            className="skip-link"
            onClick={(e) => {
              e.preventDefault();
              main.current?.focus();
            }}
          >
            Skip to content
          </a>
          <header className="topbar">
            <AppIcon />
            <span className="brand">SSO Desk</span>
            <nav aria-label="Main">
              <RadixTabs.List aria-label="Screens" className="tablist">
                {SCREENS.map((s) => (
                  <RadixTabs.Trigger key={s} value={s} className="tab">
                    {LABELS[s]}
                  </RadixTabs.Trigger>
                ))}
              </RadixTabs.List>
            </nav>
          </header>
          <main id="main" tabIndex={-1} ref={main} className="main">
            {SCREENS.map((s) => (
              // Every panel stays in the DOM (the tabs' aria-controls point at them); only the chosen one has content.
              <RadixTabs.Content
                key={s}
                value={s}
                forceMount
                hidden={s !== screen}
                aria-label={LABELS[s]}
                className="screen"
              >
                {s === screen && <Body screen={s} />}
              </RadixTabs.Content>
            ))}
          </main>
          <StatusBar />
          <UnsavedChangesDialog />
        </RadixTabs.Root>
      </ToastProvider>
    </ConfirmProvider>
  );
}
