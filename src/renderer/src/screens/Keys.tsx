import { useCallback, useEffect, useState } from 'react';
import type { KeyKind, KeysOverview } from '../../../shared/contract/keys';
import { api } from '../api';
import { Notice } from '../components/Notice';

interface Credential {
  label: string;
  account: string;
  bot: string | null;
  kind: string;
  value: string;
}

const KIND_LABEL: Record<KeyKind, string> = { account_key: 'AccountAPIKey', bot_key: 'BotAPIKey', bot_secret: 'BotAPISecret' };
const DEMO_KIND: Record<string, KeyKind> = { AccountAPIKey: 'account_key', BotAPIKey: 'bot_key', BotAPISecret: 'bot_secret' };

interface Row {
  account: string;
  bot: string | null;
  kind: KeyKind;
  label: string;
  info: { last4: string; createdAt: number } | null;
}

function rowsOf(o: KeysOverview): Row[] {
  return o.accounts.flatMap((a) => [
    { account: a.id, bot: null, kind: 'account_key' as const, label: `${a.name} AccountAPIKey`, info: a.accountKey },
    ...a.bots.flatMap((b) => [
      { account: a.id, bot: b.id, kind: 'bot_key' as const, label: `${b.name} BotAPIKey`, info: b.key },
      { account: a.id, bot: b.id, kind: 'bot_secret' as const, label: `${b.name} BotAPISecret`, info: b.secret },
    ]),
  ]);
}

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
      <button
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        Copy new {label}
      </button>{' '}
      <button className="primary" onClick={onDone}>
        Done
      </button>
      {copied && <span role="status"> Copied.</span>}
    </div>
  );
}

function ApiKeys({ onChange }: { onChange: (o: KeysOverview) => void }) {
  const [overview, setOverview] = useState<KeysOverview | null>(null);
  const [fresh, setFresh] = useState<{ label: string; value: string } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const load = useCallback(async () => {
    const r = await api.keys.list();
    if (r.ok) {
      setOverview(r.value);
      onChange(r.value);
    } else setMessage({ ok: false, text: r.error.message });
  }, [onChange]);
  useEffect(() => {
    void load();
  }, [load]);

  const rotate = async (row: Row) => {
    if (row.info && !window.confirm(`Replace ${row.label}? Callers using the current one will get 404 until they switch.`)) return;
    const r = await api.keys.rotate({ account: row.account, bot: row.bot, kind: row.kind });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setFresh({ label: row.label, value: r.value.value });
    setMessage({ ok: true, text: `${r.value.replaced ? 'Rotated' : 'Created'} ${row.label}.` });
    await load();
  };
  const revoke = async (row: Row) => {
    if (!window.confirm(`Revoke ${row.label}? Requests that bring it will get 404.`)) return;
    const r = await api.keys.revoke({ account: row.account, bot: row.bot, kind: row.kind });
    setMessage(r.ok ? { ok: true, text: `Revoked ${row.label}.` } : { ok: false, text: r.error.message });
    await load();
  };

  return (
    <>
      <h2>API keys</h2>
      <p>
        Each account has an AccountAPIKey, each bot a BotAPIKey and a BotAPISecret: the three that <code>POST /authorization/sso</code>{' '}
        needs. SSO Desk stores their SHA-256 only; a new value is shown once.
      </p>
      {fresh && <NewSecret label={fresh.label} value={fresh.value} onDone={() => setFresh(null)} />}
      <Notice message={message} />
      {overview && (
        <table className="grid" aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rowsOf(overview).map((row) => (
              <tr key={row.label}>
                <td>{row.label}</td>
                <td>
                  <code aria-label={`${row.label} last four`}>{row.info ? `••••${row.info.last4}` : 'none'}</code>
                </td>
                <td>{row.info ? new Date(row.info.createdAt).toLocaleString() : '—'}</td>
                <td>
                  <button onClick={() => void rotate(row)}>
                    {row.info ? 'Rotate' : 'Create'} {row.label}
                  </button>{' '}
                  <button onClick={() => void revoke(row)} disabled={!row.info}>
                    Revoke {row.label}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function KeysScreen() {
  const [creds, setCreds] = useState<Credential[] | null>(null);
  const [shown, setShown] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [overview, setOverview] = useState<KeysOverview | null>(null);
  useEffect(() => {
    void api.workspace.demoCredentials().then((r) => (r.ok ? setCreds(r.value) : setError(r.error.message)));
  }, []);
  // A demo credential stops working once its key is rotated or revoked: say so next to it.
  const stale = (c: Credential): boolean => {
    const kind = DEMO_KIND[c.kind];
    if (!kind || !overview) return false;
    const rows = rowsOf(overview);
    const row = rows.find((r) => r.account === c.account && r.bot === c.bot && r.kind === kind);
    return row !== undefined && row.info?.last4 !== c.value.slice(-4);
  };
  return (
    <section aria-labelledby="keys-title" className="panel">
      <h1 id="keys-title">Keys</h1>
      <ApiKeys onChange={setOverview} />
      <h2>Demo credentials</h2>
      <p>Generated for this install when the demo world was seeded. Use them with the Platform API and the demo logins.</p>
      {error && <p role="alert">{error}</p>}
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
                  {stale(c) && <span className="warn"> (replaced: {KIND_LABEL[DEMO_KIND[c.kind]!]} was rotated or revoked)</span>}
                </td>
                <td>
                  <code aria-label={`${c.label} value`}>{shown[c.label] ? c.value : `••••${c.value.slice(-4)}`}</code>
                </td>
                <td>
                  <button onClick={() => setShown((s) => ({ ...s, [c.label]: !s[c.label] }))}>
                    {shown[c.label] ? 'Hide' : 'Show'} {c.label}
                  </button>{' '}
                  <button onClick={() => void navigator.clipboard?.writeText(c.value)}>Copy {c.label}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
