import { useEffect, useMemo, useState } from 'react';
import type { BotWithTeam, TryItResult } from '../../../../shared/contract/tokens';
import { api } from '../../api';

interface Demo {
  account: string;
  bot: string | null;
  kind: string;
  value: string;
}

/**
 * "Try it": issues a token through the real `POST /authorization/sso` (main makes the HTTP call) and
 * shows the matching curl command. Keys are stored hashed, so the demo world's are offered and any
 * other must be pasted.
 */
export function TryIt({ onIssued }: { onIssued: (home: string) => void }) {
  const [bots, setBots] = useState<BotWithTeam[]>([]);
  const [demo, setDemo] = useState<Demo[]>([]);
  const [botId, setBotId] = useState('');
  const [email, setEmail] = useState('');
  const [accountKey, setAccountKey] = useState('');
  const [botKey, setBotKey] = useState('');
  const [botSecret, setBotSecret] = useState('');
  // The curl command masks the BotAPISecret unless the user asks to see it.
  const [revealSecret, setRevealSecret] = useState(false);
  const [result, setResult] = useState<TryItResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.tokens.bots().then((r) => r.ok && setBots(r.value));
    void api.workspace.demoCredentials().then((r) => r.ok && setDemo(r.value));
  }, []);
  const bot = useMemo(() => bots.find((b) => b.id === botId), [bots, botId]);

  const chooseBot = (id: string) => {
    setBotId(id);
    const b = bots.find((x) => x.id === id);
    const find = (kind: string, bot: string | null) => demo.find((d) => d.account === b?.account && d.bot === bot && d.kind === kind)?.value ?? '';
    setAccountKey(find('AccountAPIKey', null));
    setBotKey(find('BotAPIKey', id));
    setBotSecret(find('BotAPISecret', id));
    setEmail(b?.owner ?? '');
  };

  const run = async () => {
    setBusy(true);
    const r = await api.tokens.tryIt({ accountKey, botKey, botSecret, email });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      setResult(null);
      return;
    }
    setError(null);
    setResult(r.value);
    const home = (r.value.body as { Home?: unknown } | null)?.Home;
    if (r.value.status === 200 && typeof home === 'string') onIssued(home);
  };

  return (
    <div role="region" aria-label="Try it" className="card">
      <h2>Try it</h2>
      <p>Issue a token through this install’s real Platform API, as a customer’s server would.</p>
      <label htmlFor="tryit-bot">Bot</label>
      <select id="tryit-bot" value={botId} onChange={(e) => chooseBot(e.target.value)}>
        <option value="">Choose a bot…</option>
        {bots.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name} ({b.accountName})
          </option>
        ))}
      </select>
      <label htmlFor="tryit-user">User</label>
      <input id="tryit-user" list="tryit-users" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="email" />
      <datalist id="tryit-users">
        {bot && <option value={bot.owner}>owner</option>}
        {bot?.team.map((t) => (
          <option key={t.email} value={t.email}>
            {t.level}
          </option>
        ))}
      </datalist>
      <label htmlFor="tryit-acc">AccountAPIKey</label>
      <input id="tryit-acc" value={accountKey} onChange={(e) => setAccountKey(e.target.value)} style={{ width: '100%' }} spellCheck={false} />
      <label htmlFor="tryit-key">BotAPIKey</label>
      <input id="tryit-key" value={botKey} onChange={(e) => setBotKey(e.target.value)} style={{ width: '100%' }} spellCheck={false} />
      <label htmlFor="tryit-secret">BotAPISecret</label>
      <input id="tryit-secret" type="password" value={botSecret} onChange={(e) => setBotSecret(e.target.value)} style={{ width: '100%' }} spellCheck={false} />
      {bot && !accountKey && <p className="warn">No demo keys for this bot: paste them (they are stored hashed, so SSO Desk cannot show them).</p>}
      <p>
        <button className="primary" onClick={() => void run()} disabled={busy}>
          Issue token
        </button>
      </p>
      {error && (
        <p role="alert" className="bad">
          {error}
        </p>
      )}
      {result && (
        <div aria-label="Try it result">
          <p role="status" className={result.status === 200 ? 'good' : 'bad'}>
            HTTP {result.status} in {result.durationMs} ms
          </p>
          <pre aria-label="Response body" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {JSON.stringify(result.body, null, 2)}
          </pre>
          <h3>curl</h3>
          <label>
            <input type="checkbox" checked={revealSecret} onChange={(e) => setRevealSecret(e.target.checked)} /> Show the BotAPISecret in the command
          </label>
          <pre aria-label="curl command" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {revealSecret ? result.curlRevealed : result.curl}
          </pre>
          <button onClick={() => void navigator.clipboard?.writeText(revealSecret ? result.curlRevealed : result.curl)}>Copy curl command</button>
        </div>
      )}
    </div>
  );
}
