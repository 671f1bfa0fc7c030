import { useDesk } from '../store';
import { transport } from '../api';

export function StatusBar() {
  const { info, infoError } = useDesk();
  return (
    <footer className="statusbar" role="status" aria-label="Status">
      {infoError ? (
        <span className="bad">Store unreachable: {infoError}</span>
      ) : info ? (
        <>
          <span aria-label="Data folder">Data: {info.dataDir}</span>
          <span aria-label="Store health" className={info.storeHealthy ? 'good' : 'bad'}>
            Store {info.storeHealthy ? 'healthy' : 'damaged'}
          </span>
          <span>
            {transport === 'ipc' ? 'Desktop app' : 'Browser host'} · v{info.version}
          </span>
        </>
      ) : (
        <span>Connecting…</span>
      )}
    </footer>
  );
}
