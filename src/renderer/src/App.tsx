import { useEffect } from 'react';
import { SCREENS, useDesk, type Screen } from './store';
import { StatusBar } from './components/StatusBar';
import { SettingsScreen } from './screens/Settings';
import { KeysScreen } from './screens/Keys';
import { SimulatorScreen } from './screens/Simulator';
import { InspectorScreen } from './screens/Inspector';
import { AuditScreen } from './screens/Audit';

const LABELS: Record<Screen, string> = {
  settings: 'Settings',
  simulator: 'Simulator',
  inspector: 'Inspector',
  audit: 'Audit',
  keys: 'Keys',
};

function Body({ screen }: { screen: Screen }) {
  switch (screen) {
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
  }
}

export function App() {
  const { screen, go, refreshInfo, loadPrefs, theme } = useDesk();
  useEffect(() => {
    void refreshInfo();
    void loadPrefs();
  }, [refreshInfo, loadPrefs]);
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
    <div className="shell">
      <header className="topbar">
        <span className="brand">SSO Desk</span>
        <nav aria-label="Main">
          <ul role="tablist" aria-label="Screens">
            {SCREENS.map((s) => (
              <li key={s} role="presentation">
                <button
                  role="tab"
                  aria-selected={screen === s}
                  aria-controls="screen"
                  className={screen === s ? 'tab active' : 'tab'}
                  onClick={() => go(s)}
                >
                  {LABELS[s]}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="screen" role="tabpanel" aria-label={LABELS[screen]} className="screen">
        <Body screen={screen} />
      </main>
      <StatusBar />
    </div>
  );
}
