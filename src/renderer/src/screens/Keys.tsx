import { useCallback, useEffect, useState } from 'react';
import type { KeyInfo, KeyKind, KeysOverview } from '@shared/contract/keys';
import { formatDuration, relativeTime } from '@shared/relative-time';
import { api } from '../api';
import { Notice } from '../components/Notice';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { DEMO_KIND, KIND_LABEL, isCurrent, type DemoCredential } from './keys/demo-keys';
import './tools.css';

interface Row {
  account: string;
  accountName: string;
  bot: string | null;
  botName: string | null;
  kind: KeyKind;
  /** The whole name, for screen readers and dialogs: "Acme Corp AccountAPIKey", "Helpdesk BotAPISecret". */
  label: string;
  info: KeyInfo;
  /** Whose requests stop when this key stops: the servers calling for these bots. */
  bots: string[];
}

const GRACE = [
  { seconds: 0, label: 'At once' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 24 * 3600, label: '24 hours' },
  { seconds: 7 * 24 * 3600, label: '7 days' },
] as const;

const fullTime = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A value shown once, right after it was made: after "Done" only its last four characters remain. */
function NewSecret({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="region" aria-label={`New ${label}`} className="notice">
      <p>
        <strong>New {label}.</strong> Copy it now: SSO Desk keeps only a hash, so it will not be shown again.
      </p>
      <p>
        <code aria-label={`New ${label} value`}>{value}</code>
      </p>
      <button onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}>
        Copy new {label}
      </button>{' '}
      <button className="primary" onClick={onDone}>
        Done
      </button>
      {copied && <span role="status"> Copied.</span>}
    </div>
  );
}

function LastUsed({ at, now }: { at: number | null; now: number }) {
  if (at === null) return <span className="muted">never</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={fullTime(at)}>
      {relativeTime(at, now)}
    </time>
  );
}

/** Who a key's end cuts off, in words. */
function whoIsCutOff(row: Row): string {
  const bots = row.bots.length ? ` for ${row.bots.join(', ')}` : '';
  return `Servers that call POST /authorization/sso with ${row.label} ••••${row.info?.last4 ?? ''}${bots}`;
}

function KeyRows({
  rows,
  now,
  onRotate,
  onRevoke,
}: {
  rows: Row[];
  now: number;
  onRotate: (r: Row) => void;
  onRevoke: (r: Row) => void;
}) {
  return (
    <>
      {rows.map((row) => (
        <tr key={row.label}>
          <th scope="row" style={{ fontWeight: 'normal' }}>
            {KIND_LABEL[row.kind]}
          </th>
          <td>
            <code aria-label={`${row.label} last four`}>{row.info ? `••••${row.info.last4}` : 'none'}</code>
            {row.info?.inGrace.map((g) => (
              <div key={g.last4} className="warn" aria-label={`${row.label} previous key`}>
                previous ••••{g.last4} works until {fullTime(g.graceUntil)} ({relativeTime(g.graceUntil, now)})
              </div>
            ))}
          </td>
          <td>{row.info ? fullTime(row.info.createdAt) : '—'}</td>
          <td aria-label={`${row.label} last used`}>
            {row.info ? <LastUsed at={row.info.lastUsedAt} now={now} /> : '—'}
          </td>
          <td>
            <div className="row-actions">
              <button
                type="button"
                aria-label={`${row.info ? 'Rotate' : 'Create'} ${row.label}`}
                onClick={() => onRotate(row)}
              >
                {row.info ? 'Rotate' : 'Create'}
              </button>
              <button
                type="button"
                aria-label={`Revoke ${row.label}`}
                onClick={() => onRevoke(row)}
                disabled={!row.info}
              >
                Revoke
              </button>
            </div>
          </td>
        </tr>
      ))}
    </>
  );
}

function ApiKeys({
  overview,
  reload,
  now,
}: {
  overview: KeysOverview | null;
  reload: () => Promise<void>;
  now: number;
}) {
  const [fresh, setFresh] = useState<{ label: string; value: string } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirm, setConfirm] = useState<{ row: Row; action: 'rotate' | 'revoke' } | null>(null);
  const [grace, setGrace] = useState<number>(0);

  const rotate = async (row: Row) => {
    const r = await api.keys.rotate({
      account: row.account,
      bot: row.bot,
      kind: row.kind,
      graceSeconds: row.info ? grace : 0,
    });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setFresh({ label: row.label, value: r.value.value });
    const old = r.value.graceUntil
      ? ` The old one works until ${fullTime(r.value.graceUntil)}.`
      : r.value.replaced
        ? ' The old one stopped working.'
        : '';
    setMessage({ ok: true, text: `${r.value.replaced ? 'Rotated' : 'Created'} ${row.label}.${old}` });
    await reload();
  };
  const revoke = async (row: Row) => {
    const r = await api.keys.revoke({ account: row.account, bot: row.bot, kind: row.kind });
    setMessage(r.ok ? { ok: true, text: `Revoked ${row.label}.` } : { ok: false, text: r.error.message });
    await reload();
  };
  const ask = (row: Row, action: 'rotate' | 'revoke') => {
    // Creating a key where there is none cuts no one off: no question to ask.
    if (action === 'rotate' && !row.info) return void rotate(row);
    setGrace(0);
    setConfirm({ row, action });
  };

  const c = confirm;
  return (
    <>
      <h2>API keys</h2>
      <p>
        Each account has an AccountAPIKey, each bot a BotAPIKey and a BotAPISecret: the three that{' '}
        <code>POST /authorization/sso</code> needs. SSO Desk stores their SHA-256 only; a new value is shown once.
        Rotating can give the old key a grace period so callers can switch without an outage.
      </p>
      {fresh && <NewSecret label={fresh.label} value={fresh.value} onDone={() => setFresh(null)} />}
      <Notice message={message} />
      {overview?.accounts.map((a) => (
        <AccountKeys key={a.id} account={a} now={now} onAsk={ask} />
      ))}
      {c && (
        <KeyChangeDialog
          row={c.row}
          action={c.action}
          grace={grace}
          setGrace={setGrace}
          now={now}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void (c.action === 'rotate' ? rotate(c.row) : revoke(c.row))}
        />
      )}
    </>
  );
}

/** One account's keys: its AccountAPIKey, then each bot's BotAPIKey and BotAPISecret. */
function AccountKeys({
  account: a,
  now,
  onAsk,
}: {
  account: KeysOverview['accounts'][number];
  now: number;
  onAsk: (row: Row, action: 'rotate' | 'revoke') => void;
}) {
  const accountRow: Row = {
    account: a.id,
    accountName: a.name,
    bot: null,
    botName: null,
    kind: 'account_key',
    label: `${a.name} AccountAPIKey`,
    info: a.accountKey,
    bots: a.bots.map((b) => b.name),
  };
  return (
    <section key={a.id} className="key-group" aria-labelledby={`keys-${a.id}`}>
      <h3 id={`keys-${a.id}`}>{a.name}</h3>
      <table className="grid" aria-label={`${a.name} API keys`}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          <KeyRows
            rows={[accountRow]}
            now={now}
            onRotate={(r) => onAsk(r, 'rotate')}
            onRevoke={(r) => onAsk(r, 'revoke')}
          />
        </tbody>
        {a.bots.map((b) => (
          <tbody key={b.id}>
            <tr>
              <th scope="rowgroup" colSpan={5}>
                Bot {b.name}
              </th>
            </tr>
            <KeyRows
              rows={(['bot_key', 'bot_secret'] as const).map((kind) => ({
                account: a.id,
                accountName: a.name,
                bot: b.id,
                botName: b.name,
                kind,
                label: `${b.name} ${KIND_LABEL[kind]}`,
                info: kind === 'bot_key' ? b.key : b.secret,
                bots: [b.name],
              }))}
              now={now}
              onRotate={(r) => onAsk(r, 'rotate')}
              onRevoke={(r) => onAsk(r, 'revoke')}
            />
          </tbody>
        ))}
      </table>
    </section>
  );
}

/** Rotate or revoke, asked first: who is cut off, and for a rotation how long the old key keeps working. */
function KeyChangeDialog({
  row,
  action,
  grace,
  setGrace,
  now,
  onCancel,
  onConfirm,
}: {
  row: Row;
  action: 'rotate' | 'revoke';
  grace: number;
  setGrace: (seconds: number) => void;
  now: number;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const graceText =
    grace === 0
      ? 'are cut off at once: they get 404 until they use the new key'
      : `keep working until ${fullTime(now + grace * 1000)} (in ${formatDuration(grace * 1000)}), then get 404`;
  return (
    <ConfirmDialog
      open
      onCancel={onCancel}
      title={`${action === 'rotate' ? 'Rotate' : 'Revoke'} ${row.label}?`}
      confirmLabel={action === 'rotate' ? `Rotate ${KIND_LABEL[row.kind]}` : `Revoke ${KIND_LABEL[row.kind]}`}
      destructive={action === 'revoke' || grace === 0}
      onConfirm={onConfirm}
      description={
        action === 'rotate' ? (
          <>
            <label htmlFor="grace">The old key keeps working</label>
            <select id="grace" value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
              {GRACE.map((g) => (
                <option key={g.seconds} value={g.seconds}>
                  {g.label}
                </option>
              ))}
            </select>
            <p aria-label="Who is cut off">
              {whoIsCutOff(row)} {graceText}.
            </p>
            <p className="muted">
              Last used: <LastUsed at={row.info?.lastUsedAt ?? null} now={now} />.
            </p>
          </>
        ) : (
          <p aria-label="Who is cut off">
            {whoIsCutOff(row)}
            {row.info?.inGrace.length
              ? ` (and the previous key${row.info.inGrace.length > 1 ? 's' : ''} still in a grace period)`
              : ''}{' '}
            get 404 from now on. Last used: <LastUsed at={row.info?.lastUsedAt ?? null} now={now} />.
          </p>
        )
      }
    />
  );
}

export function KeysScreen() {
  const [creds, setCreds] = useState<DemoCredential[] | null>(null);
  const [shown, setShown] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [overview, setOverview] = useState<KeysOverview | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const reload = useCallback(async () => {
    const r = await api.keys.list();
    if (r.ok) setOverview(r.value);
    else setError(r.error.message);
    setNow(Date.now());
  }, []);
  useEffect(() => {
    void reload();
    void api.workspace.demoCredentials().then((r) => (r.ok ? setCreds(r.value) : setError(r.error.message)));
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, [reload]);
  // A demo credential stops working once its key is rotated or revoked: say so next to it.
  const stale = (c: DemoCredential): boolean =>
    overview !== null && DEMO_KIND[c.kind] !== undefined && !isCurrent(c, overview);
  return (
    <section aria-labelledby="keys-title" className="panel">
      <h1 id="keys-title">Keys</h1>
      {error && <p role="alert">{error}</p>}
      <ApiKeys overview={overview} reload={reload} now={now} />
      <h2>Demo credentials</h2>
      <p>
        Generated for this install when the demo world was seeded. Use them with the Platform API and the demo logins.
      </p>
      {creds && creds.length === 0 && <p>This data dir was imported from a file: it has no demo credentials.</p>}
      {creds && creds.length > 0 && (
        <table className="grid" aria-label="Demo credentials">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Value</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {creds.map((c) => (
              <tr key={c.label}>
                <td>
                  {c.label}
                  {stale(c) && (
                    <span className="warn"> (replaced: {KIND_LABEL[DEMO_KIND[c.kind]!]} was rotated or revoked)</span>
                  )}
                </td>
                <td>
                  <code aria-label={`${c.label} value`}>{shown[c.label] ? c.value : `••••${c.value.slice(-4)}`}</code>
                </td>
                <td>
                  <div className="row-actions">
                    <button
                      aria-label={`${shown[c.label] ? 'Hide' : 'Show'} ${c.label}`}
                      onClick={() => setShown((s) => ({ ...s, [c.label]: !s[c.label] }))}
                    >
                      {shown[c.label] ? 'Hide' : 'Show'}
                    </button>
                    <button aria-label={`Copy ${c.label}`} onClick={() => void navigator.clipboard?.writeText(c.value)}>
                      Copy
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
