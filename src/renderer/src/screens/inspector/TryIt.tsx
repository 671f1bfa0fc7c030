import { useEffect, useMemo, useState } from 'react';
import type { BotWithTeam, TryItResult } from '@shared/contract/tokens';
import type { KeysOverview } from '@shared/contract/keys';
import { api } from '../../api';
import { offeredDemoKeys, type DemoCredential } from '../keys/demo-keys';

type Field = 'email' | 'accountKey' | 'botKey' | 'botSecret';

/** What a refused issuance means, in words, instead of a bare status code. */
function explain(result: TryItResult): string | null {
  if (result.status === 200) return null;
  // When the audit knows a truer reason than the API may say (deactivated…: "<why> (answered: <API>)"), it leads.
  const real = result.reason && /\s*\(answered: [^)]*\)$/.exec(result.reason);
  if (real) return `Not issued: ${result.reason!.slice(0, real.index)}.`;
  const error = (result.body as { error?: { message?: unknown } } | null)?.error;
  const said = typeof error?.message === 'string' ? error.message : null;
  if (result.status === 404)
    return (
      `Not issued: ${said ?? 'something was not found'}. A rotated or revoked key reads ` +
      `as not found: check the three keys against Keys, and that the user is the bot’s owner or on its team.`
    );
  if (result.status === 400) return `Not issued: ${said ?? 'the request was refused'}.`;
  if (result.status === 429)
    return `Not issued: too many requests${said ? ` (${said})` : ''}. Wait a moment and try again.`;
  return `Not issued: HTTP ${result.status}${said ? ` — ${said}` : ''}.`;
}

/**
 * "Try it": issues a token through the real `POST /authorization/sso` (main makes the HTTP call) and
 * shows the matching curl command. Keys are stored hashed, so the demo world's are offered and any
 * other must be pasted. The offered values are derived from the three loads (bots, demo credentials,
 * active keys) on every render, so they fill in whichever arrives last, and a replaced key is never offered.
 *
 * Long because it is one form whose fields (owner email, keys) are offered from the chosen bot and whose result
 * explains each step; the pieces share the edits and the bot.
 */
export function TryIt({ onIssued }: { onIssued: (home: string) => void }) {
  const [bots, setBots] = useState<BotWithTeam[]>([]);
  const [demo, setDemo] = useState<DemoCredential[] | null>(null);
  const [overview, setOverview] = useState<KeysOverview | null>(null);
  const [botId, setBotId] = useState('');
  // What the user typed over the offered values, for the bot chosen now.
  const [edits, setEdits] = useState<Partial<Record<Field, string>>>({});
  const [result, setResult] = useState<TryItResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.tokens.bots().then((r) => r.ok && setBots(r.value));
    void api.workspace.demoCredentials().then((r) => setDemo(r.ok ? r.value : []));
    void api.keys.list().then((r) => r.ok && setOverview(r.value));
  }, []);
  const bot = useMemo(() => bots.find((b) => b.id === botId), [bots, botId]);
  const offered = useMemo(() => offeredDemoKeys(bot, demo, overview), [bot, demo, overview]);
  const value = (f: Field): string => edits[f] ?? (f === 'email' ? (bot?.owner ?? '') : offered[f]);
  const edit = (f: Field) => (e: { target: { value: string } }) => setEdits((x) => ({ ...x, [f]: e.target.value }));
  const keysLoading = bot !== undefined && (demo === null || overview === null);

  const chooseBot = (id: string) => {
    setBotId(id);
    setEdits({});
    setResult(null);
    setError(null);
  };

  const run = async () => {
    setBusy(true);
    const r = await api.tokens.tryIt({
      accountKey: value('accountKey'),
      botKey: value('botKey'),
      botSecret: value('botSecret'),
      email: value('email'),
    });
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

  const missing = (['accountKey', 'botKey', 'botSecret'] as const).filter((f) => value(f) === '');
  const why = !bot
    ? 'Choose a bot first.'
    : keysLoading
      ? 'Loading the demo keys…'
      : missing.length
        ? 'Paste the missing keys first.'
        : value('email') === ''
          ? 'Enter a user’s email first.'
          : null;

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
      <input id="tryit-user" list="tryit-users" value={value('email')} onChange={edit('email')} placeholder="email" />
      <datalist id="tryit-users">
        {bot && <option value={bot.owner}>owner</option>}
        {bot?.team.map((t) => (
          <option key={t.email} value={t.email}>
            {t.level}
          </option>
        ))}
      </datalist>
      <label htmlFor="tryit-acc">AccountAPIKey</label>
      <input
        id="tryit-acc"
        value={value('accountKey')}
        onChange={edit('accountKey')}
        style={{ width: '100%' }}
        spellCheck={false}
      />
      <label htmlFor="tryit-key">BotAPIKey</label>
      <input
        id="tryit-key"
        value={value('botKey')}
        onChange={edit('botKey')}
        style={{ width: '100%' }}
        spellCheck={false}
      />
      <label htmlFor="tryit-secret">BotAPISecret</label>
      <input
        id="tryit-secret"
        type="password"
        value={value('botSecret')}
        onChange={edit('botSecret')}
        style={{ width: '100%' }}
        spellCheck={false}
      />
      {bot && !keysLoading && offered.replaced.length > 0 && (
        <p className="warn" role="note">
          The demo {offered.replaced.join(' and ')} of this bot {offered.replaced.length > 1 ? 'were' : 'was'} replaced
          (rotated or revoked), so {offered.replaced.length > 1 ? 'they are' : 'it is'} not filled in: paste the new
          value (SSO Desk keeps only a hash).
        </p>
      )}
      {bot && !keysLoading && missing.length > 0 && offered.replaced.length === 0 && (
        <p className="warn">
          No demo keys for this bot: paste them (they are stored hashed, so SSO Desk cannot show them).
        </p>
      )}
      <p>
        <button
          className="primary"
          onClick={() => void run()}
          disabled={busy || why !== null}
          aria-describedby={why ? 'tryit-why' : undefined}
        >
          Issue token
        </button>{' '}
        {why && (
          <span id="tryit-why" className="muted">
            {why}
          </span>
        )}
      </p>
      {error && (
        <p role="alert" className="bad">
          {error}
        </p>
      )}
      {result && <TryItResultView result={result} />}
    </div>
  );
}

/** The answer of the Platform API, explained, with the matching curl command (BotAPISecret masked unless asked). */
function TryItResultView({ result }: { result: TryItResult }) {
  const [revealSecret, setRevealSecret] = useState(false);
  const explained = explain(result);
  return (
    <div aria-label="Try it result">
      <p role="status" className={result.status === 200 ? 'good' : 'bad'}>
        {result.status === 200 ? 'Issued' : 'Refused'}: HTTP {result.status} in {result.durationMs} ms
      </p>
      {explained && <p className="bad">{explained}</p>}
      {result.reason && (
        <p aria-label="Why, from the audit" className="muted">
          As the audit has it: {result.reason}
        </p>
      )}
      <pre aria-label="Response body" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {JSON.stringify(result.body, null, 2)}
      </pre>
      <h3>curl</h3>
      <label>
        <input type="checkbox" checked={revealSecret} onChange={(e) => setRevealSecret(e.target.checked)} /> Show the
        BotAPISecret in the command
      </label>
      <pre aria-label="curl command" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {revealSecret ? result.curlRevealed : result.curl}
      </pre>
      <button onClick={() => void navigator.clipboard?.writeText(revealSecret ? result.curlRevealed : result.curl)}>
        Copy curl command
      </button>
    </div>
  );
}
