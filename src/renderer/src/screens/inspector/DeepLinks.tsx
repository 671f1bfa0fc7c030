import { useEffect, useState } from 'react';
import type { TokenInspection } from '@shared/contract/tokens';
import { api } from '../../api';
import { useConfirm } from '../../components/ui/ConfirmDialog';
import { TryIt } from './TryIt';
import { When } from '../../components/When';

const when = (ms: number | null) => (ms === null ? '—' : <When at={ms} />);

/** mm:ss (or h:mm:ss) left until `expiresAt`, by the main process's clock (offset measured at inspection). */
function Countdown({ expiresAt, offset }: { expiresAt: number; offset: number }) {
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now() + offset), 1000);
    return () => window.clearInterval(id);
  }, [offset]);
  const left = Math.max(0, Math.round((expiresAt - now) / 1000));
  const text = left === 0 ? 'expired' : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left`;
  return (
    <span aria-label="Time left" role="timer">
      {text}
    </span>
  );
}

const openInBrowser = (url: string) => window.open(url, '_blank', 'noopener,noreferrer');

export function DeepLinks() {
  const [input, setInput] = useState('');
  const [found, setFound] = useState<{ view: TokenInspection; offset: number; input: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const confirm = useConfirm();

  const show = (r: Awaited<ReturnType<typeof api.tokens.inspect>>, text: string) => {
    if (r.ok) {
      setFound({ view: r.value, offset: r.value.now - Date.now(), input: text });
      setError(null);
    } else {
      setFound(null);
      setError(r.error.message);
    }
  };
  const inspect = async (text = input) => show(await api.tokens.inspect({ input: text }), text);
  const revoke = async () => {
    if (!found) return;
    const yes = await confirm({
      title: 'Revoke this token?',
      description: 'Its links stop working and the sessions it opened end.',
      confirmLabel: 'Revoke token',
      destructive: true,
    });
    if (!yes) return;
    show(await api.tokens.revoke({ input: found.input }), found.input);
  };
  const v = found?.view;

  return (
    <section aria-labelledby="deeplinks-title" className="panel">
      <h1 id="deeplinks-title">Deep links</h1>
      <p>Paste a Home URL (…/auth/sso/&lt;token&gt;) or a token to see what it opens.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void inspect();
        }}
      >
        <label htmlFor="deeplink-input">Home URL or token</label>
        <input
          id="deeplink-input"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          style={{ width: '100%' }}
          spellCheck={false}
        />
        <p>
          <button type="submit" className="primary">
            Inspect
          </button>
        </p>
      </form>
      {error && (
        <p role="alert" className="bad">
          {error}
        </p>
      )}
      {v && found && <TokenDetails v={v} offset={found.offset} onRevoke={() => void revoke()} />}
      <TryIt
        onIssued={(home) => {
          setInput(home);
          void inspect(home);
        }}
      />
    </section>
  );
}

/** What a deep-link token opens: its status, account, bot, user, lifetime, sessions and sections. */
function TokenDetails({ v, offset, onRevoke }: { v: TokenInspection; offset: number; onRevoke: () => void }) {
  return (
    <div role="region" aria-label="Token details" className="card">
      <dl className="facts">
        <dt>Status</dt>
        <dd aria-label="Status" className={v.status === 'active' ? 'good' : 'bad'}>
          {v.status}
        </dd>
        {v.scope && (
          <>
            <dt>Scope</dt>
            <dd>
              <span className="pill">{v.scope}</span>
            </dd>
          </>
        )}
        {v.status !== 'unknown' && (
          <>
            <dt>Account</dt>
            <dd aria-label="Account">
              {v.account ? `${v.account.name}${v.account.embeddable ? ' (embeddable)' : ''}` : '—'}
            </dd>
            <dt>Bot</dt>
            <dd aria-label="Bot">{v.bot?.name ?? '—'}</dd>
            <dt>User</dt>
            <dd aria-label="User">
              {v.user ? `${v.user.name} <${v.user.email}>` : '—'}
              {v.standing && ` · ${v.standing.kind === 'owner' ? 'owner' : `${v.standing.level} on the team`}`}
            </dd>
            <dt>Issued</dt>
            <dd>{when(v.issuedAt)}</dd>
            <dt>Expires</dt>
            <dd>
              {when(v.expiresAt)}{' '}
              {v.status === 'active' && v.expiresAt !== null && (
                <>
                  (<Countdown expiresAt={v.expiresAt} offset={offset} />)
                </>
              )}
            </dd>
            {v.revokedAt !== null && (
              <>
                <dt>Revoked</dt>
                <dd>{when(v.revokedAt)}</dd>
              </>
            )}
            <dt>Sessions</dt>
            <dd>
              {v.sessions.total} opened, {v.sessions.open} open
            </dd>
          </>
        )}
      </dl>
      {v.status === 'unknown' && <p>SSO Desk never issued this token (or its account was deleted).</p>}
      {/* The fingerprint is what the audit records for this token: support matches the two by it. */}
      <details className="tech">
        <summary>Technical details</summary>
        <dl className="facts" aria-label="Technical details of this token">
          <dt>Fingerprint (as in the audit)</dt>
          <dd>
            <code>{v.fingerprint}</code>
          </dd>
        </dl>
      </details>
      {v.sections.length > 0 && (
        <>
          <h2>Sections</h2>
          <ul aria-label="Sections">
            {v.sections.map((s) => (
              <li key={s.id}>
                {s.allowed && s.url && v.status === 'active' ? (
                  <a href={s.url} target="_blank" rel="noopener noreferrer">
                    {s.label}
                  </a>
                ) : (
                  <span>{s.label}</span>
                )}{' '}
                <span style={{ color: 'var(--muted)' }}>
                  {s.allowed ? `(${s.minLevel} or higher)` : `(needs ${s.minLevel} or higher)`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        {v.home && (
          <button onClick={() => openInBrowser(v.home!)} disabled={v.status !== 'active'}>
            Open in browser
          </button>
        )}{' '}
        {v.status !== 'unknown' && (
          <button onClick={onRevoke} disabled={v.revokedAt !== null}>
            Revoke token
          </button>
        )}
      </p>
    </div>
  );
}
