import { useEffect, useState } from 'react';
import type { AccountSummary } from '@shared/contract/workspace';
import type { OidcConfigView } from '@shared/contract/oidc';
import type { PassthroughView } from '@shared/contract/passthrough';
import type { PlatformSsoSettings } from '@shared/contract/tokens';
import type { ProvisioningView } from '@shared/contract/provisioning';
import type { SamlConfigView } from '@shared/contract/saml';
import { api } from '../api';
import { useDesk, type Screen } from '../store';
import { shortTime } from '../components/When';

interface AccountState {
  account: AccountSummary;
  sso: OidcConfigView | null;
  passthrough: PassthroughView | null;
  platform: PlatformSsoSettings | null;
  provisioning: ProvisioningView | null;
  saml?: SamlConfigView | null;
}

interface Step {
  text: string;
  screen: Screen;
  section?: string;
  account: string;
  link: string;
}

type Tone = 'good' | 'warn' | 'bad' | 'muted';

/** What the SSO settings of an account amount to, in words, and whether the last test passed. */
function ssoLine(s: OidcConfigView | null): { text: string; tone: Tone; test: string; testTone: Tone } {
  if (!s || !s.configured) return { text: 'Not set up', tone: 'muted', test: 'No test yet', testTone: 'muted' };
  const e = s.enforcement;
  const test = !e.lastTest
    ? { test: 'Never tested', testTone: 'warn' as const }
    : e.lastTest.fingerprint !== e.fingerprint
      ? { test: 'Not tested since the last change', testTone: 'warn' as const }
      : e.lastTest.ok && e.lastTest.unconfirmed
        ? {
            test:
              `Last test passed (${shortTime(e.lastTest.at)}), but the client is ` +
              `not confirmed — a Test sign-in will tell`,
            testTone: 'warn' as const,
          }
        : e.lastTest.ok
          ? { test: `Last test passed (${shortTime(e.lastTest.at)})`, testTone: 'good' as const }
          : { test: `Last test failed: ${e.lastTest.summary}`, testTone: 'bad' as const };
  if (s.enabled && s.plan !== 'enterprise')
    return { text: 'On, but not enforced: the plan does not include SSO', tone: 'warn', ...test };
  return {
    text: s.enabled ? 'On: enforced for every member' : 'Set up, switched off',
    tone: s.enabled ? 'good' : 'muted',
    ...test,
  };
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

type ScimRequest = NonNullable<ProvisioningView['lastRequest']>;

/** What the IdP's last SCIM request did, as a person says it: "Microsoft Entra ID deactivated gina@acme.test". */
export function scimActivity(r: ScimRequest): string {
  const said = r.summary.split('; ').filter(Boolean);
  // The change a person cares about first: who joined, left, was deactivated; a field-level patch last.
  const first = said.find((c) => !/^(patched|replaced|password) /.test(c)) ?? said[0] ?? '';
  if (r.outcome === 'refused') return `${r.idp}’s request was refused${first ? `: ${first}` : ''}`;
  if (r.outcome === 'failed') return `${r.idp}’s request failed${first ? `: ${first}` : ''}`;
  if (first) return `${r.idp} ${first}`;
  const what = /\/Users/.test(r.path) ? 'users' : /\/Groups/.test(r.path) ? 'groups' : 'what SSO Desk supports';
  if (r.method === 'GET') return `${r.idp} looked up ${what}`;
  if (r.method === 'DELETE') return `${r.idp} removed ${what === 'users' ? 'a user' : 'a group'}`;
  return `${r.idp} updated ${what} (nothing changed)`;
}

/** Provisioning (SCIM) of an account in words: switch, token, members it manages, its last request. */
function provisioningLines(
  p: ProvisioningView | null,
): { state: string; tone: Tone; members: string; last: string; technical: string | null; lastTone: Tone } | null {
  if (!p) return null;
  const state = p.enabled
    ? `On · ${p.token ? `token set (…${p.token.last4})` : 'no token'}`
    : `Off · ${p.token ? `token set (…${p.token.last4})` : 'no token'}`;
  const members = `${count(p.stats.users, 'provisioned member')}, ${p.stats.deactivated} deactivated · ${count(p.stats.groups, 'group')}`;
  const r = p.lastRequest;
  const last = r ? `${scimActivity(r)} · ${shortTime(r.at)}` : 'No SCIM request yet';
  const technical = r
    ? `${r.method} ${r.path.replace(/^\/scim\/v2/, '')} → ${r.status} ${
        r.outcome === 'ok' ? 'OK' : r.outcome === 'refused' ? 'refused' : 'failed'
      }`
    : null;
  return {
    state,
    tone: p.enabled && p.token && p.gate.allowed ? 'good' : p.enabled ? 'warn' : 'muted',
    members,
    last,
    technical,
    lastTone: !r ? 'muted' : r.outcome === 'ok' ? 'good' : 'bad',
  };
}

/** What provisioning of an account needs, and its next step (always Settings › Provisioning). */
function provisioningAttention(a: AccountState, problems: string[], steps: Step[]): void {
  const p = a.provisioning;
  if (!p) return;
  const step = (text: string) =>
    steps.push({ text, screen: 'settings', section: 'provisioning', account: a.account.id, link: 'Open Provisioning' });
  if (p.enabled && !p.gate.allowed) {
    problems.push(`Provisioning is on, but the IdP is refused: ${p.gate.reason}`);
    step('Give the account what provisioning needs, or switch provisioning off');
    return;
  }
  if (p.enabled && !p.token) {
    problems.push('Provisioning is on but has no token: Okta and Entra ID are refused (401).');
    step('Create the provisioning token and paste it into the IdP');
    return;
  }
  if (!p.enabled && p.token)
    problems.push('A provisioning token is set but provisioning is off: the IdP is refused (403).');
  if (p.lastRequest && p.lastRequest.outcome !== 'ok') {
    const r = p.lastRequest;
    problems.push(
      `The last SCIM request was ${r.outcome}: ${r.method} ${r.path} → ${r.status}${r.summary ? ` (${r.summary})` : ''}.`,
    );
    step('Check the IdP’s provisioning settings, then run Test provisioning');
    return;
  }
  if (p.enabled && p.token && !p.lastRequest)
    step('Paste the base URL and token into Okta or Entra ID, then run Test provisioning');
  else if (!p.enabled && p.gate.allowed) step('Let Okta or Entra ID provision this account’s users');
}

/** SAML IdP certificates that expire within 30 days (or have expired) need attention before sign-ins fail. */
function samlAttention(a: AccountState, problems: string[], steps: Step[]): void {
  const s = a.saml;
  if (!s?.configured) return;
  const due = s.idp.certificates.filter((c) => c.status === 'expiring' || c.status === 'expired');
  for (const c of due) problems.push(`SAML IdP certificate ${c.subject}: ${c.expiry}.`);
  if (due.length)
    steps.push({
      text: 'Import the IdP’s new signing certificate (its metadata) before the old one expires',
      screen: 'settings',
      section: 'sso',
      account: a.account.id,
      link: 'Open Security › SSO',
    });
}

function attention(a: AccountState): { problems: string[]; steps: Step[] } {
  const problems: string[] = [];
  const steps: Step[] = [];
  const sso = a.sso;
  const name = a.account.name;
  const ssoStep = (text: string, link: string) =>
    steps.push({ text, screen: 'settings', section: 'sso', account: a.account.id, link });
  if (sso?.configured) {
    const e = sso.enforcement;
    const tested = e.lastTest && e.lastTest.fingerprint === e.fingerprint;
    if (!tested) {
      problems.push('The saved SSO settings have not been tested.');
      ssoStep('Run Test connection on the saved SSO settings', 'Open Security › SSO');
    } else if (!e.lastTest!.ok) {
      problems.push(`The last Test connection failed: ${e.lastTest!.summary}`);
      ssoStep('Fix the SSO settings and test again', 'Open Security › SSO');
    }
    if (sso.enabled && e.ownerPassword.on)
      problems.push('Owner break-glass is on: owners may skip SSO with their password.');
    if (!sso.enabled && sso.canEnable.allowed && tested && e.lastTest!.ok)
      ssoStep('Do a test sign-in, then switch SSO on', 'Open Security › SSO');
    if (sso.enabled && sso.plan !== 'enterprise') problems.push(sso.canEnable.reason);
  } else if (sso?.canEnable.allowed) {
    ssoStep(`Connect ${name} to its identity provider`, 'Set up SSO');
  }
  const pt = a.passthrough?.config;
  if (pt?.enabled && !pt.forgotPasswordUrl)
    problems.push('External user authentication has no Forgot-password URL: users cannot reset passwords here.');
  if (!sso?.enabled && !pt?.enabled && !sso?.canEnable.allowed) {
    steps.push({
      text: 'Check passwords with the customer’s own service',
      screen: 'settings',
      section: 'external-auth',
      account: a.account.id,
      link: 'Open External user authentication',
    });
  }
  if (a.platform && !a.platform.ssoLogin && a.platform.gates.ssoLogin.allowed) {
    steps.push({
      text: 'Let the customer’s server sign users in to a bot',
      screen: 'settings',
      section: 'platform-sso',
      account: a.account.id,
      link: 'Open Platform SSO',
    });
  }
  if (a.platform?.ssoLogin)
    steps.push({
      text: 'Try a Platform SSO deep link',
      screen: 'inspector',
      account: a.account.id,
      link: 'Open Inspector',
    });
  provisioningAttention(a, problems, steps);
  samlAttention(a, problems, steps);
  return { problems, steps };
}

/** Home: per account, what is set up, whether its last test passed, what needs attention and the next step. */
export function HomeScreen() {
  const [states, setStates] = useState<AccountState[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = useDesk((s) => s.go);
  const remember = useDesk((s) => s.rememberAccount);
  useEffect(() => {
    let live = true;
    void (async () => {
      const [accounts, platform] = await Promise.all([api.workspace.accounts(), api.tokens.settings.list()]);
      if (!accounts.ok) return live && setError(accounts.error.message);
      const rows = await Promise.all(
        accounts.value.map(async (account): Promise<AccountState> => {
          const [sso, passthrough, provisioning, saml] = await Promise.all([
            api.sso.oidc.get({ account: account.id }),
            api.sso.passthrough.get({ account: account.id }),
            api.provisioning.get({ account: account.id }),
            api.sso.saml.get({ account: account.id }),
          ]);
          return {
            account,
            sso: sso.ok ? sso.value : null,
            passthrough: passthrough.ok ? passthrough.value : null,
            provisioning: provisioning.ok ? provisioning.value : null,
            saml: saml.ok ? saml.value : null,
            platform: platform.ok ? (platform.value.find((p) => p.account === account.id) ?? null) : null,
          };
        }),
      );
      if (live) setStates(rows);
    })();
    return () => {
      live = false;
    };
  }, []);
  const open = (step: Step) => {
    remember(step.account);
    go(step.screen, step.section);
  };
  return (
    <section aria-labelledby="home-title" className="panel wide">
      <h1 id="home-title">Home</h1>
      <p>What each account has set up, what needs attention, and the next step.</p>
      {error && <p role="alert">{error}</p>}
      {!states && !error && <p>Loading…</p>}
      {states?.length === 0 && <p>No accounts yet. Import a workspace file in Settings › General.</p>}
      <div className="home-grid">
        {states?.map((a) => (
          <AccountCard key={a.account.id} state={a} onStep={open} />
        ))}
      </div>
    </section>
  );
}

/** One account's card: its SSO, external authentication, Platform SSO and provisioning, then what to do next. */
function AccountCard({ state: a, onStep }: { state: AccountState; onStep: (s: Step) => void }) {
  const sso = ssoLine(a.sso);
  const { problems, steps } = attention(a);
  const pt = a.passthrough?.config;
  const prov = provisioningLines(a.provisioning);
  return (
    <article className="card" aria-labelledby={`home-${a.account.id}`}>
      <h2 id={`home-${a.account.id}`}>
        {a.account.name} <span className="pill">{a.account.plan}</span>
      </h2>
      <dl className="facts">
        <dt>SSO</dt>
        <dd>
          <span className={sso.tone}>{sso.text}</span>
          <br />
          <span className={sso.testTone}>{sso.test}</span>
        </dd>
        <dt>External user authentication</dt>
        <dd className={pt?.enabled ? 'good' : 'muted'}>
          {pt
            ? pt.enabled
              ? 'On: passwords checked by the customer’s service'
              : 'Set up, switched off'
            : 'Not set up'}
        </dd>
        <dt>Platform SSO</dt>
        <dd className={a.platform?.ssoLogin ? 'good' : 'muted'}>
          {a.platform ? (a.platform.ssoLogin ? `On${a.platform.embeddable ? ', embeddable' : ''}` : 'Off') : 'Unknown'}
        </dd>
        <dt>Provisioning</dt>
        <dd aria-label={`Provisioning of ${a.account.name}`}>
          {prov ? (
            <>
              <span className={prov.tone}>{prov.state}</span>
              <br />
              {prov.members}
              <br />
              <span className={prov.lastTone}>{prov.last}</span>
              {prov.technical && (
                <details className="tech">
                  <summary>Technical details</summary>
                  <code>{prov.technical}</code>
                </details>
              )}
            </>
          ) : (
            <span className="muted">Unknown</span>
          )}
        </dd>
        <dt>Members</dt>
        <dd>
          {a.account.members.length} · bots {a.account.bots.length}
        </dd>
      </dl>
      {problems.length > 0 && (
        <>
          <h3>Needs attention</h3>
          <ul className="attention">
            {problems.map((p) => (
              <li key={p} className="warn">
                {p}
              </li>
            ))}
          </ul>
        </>
      )}
      {steps.length > 0 && (
        <>
          <h3>Next step</h3>
          <ul className="steps">
            {steps.map((s) => (
              <li key={s.text}>
                {s.text} —{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => onStep(s)}
                  aria-label={`${s.link} for ${a.account.name}`}
                >
                  {s.link}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {problems.length === 0 && steps.length === 0 && <p className="good">Nothing needs attention.</p>}
    </article>
  );
}
