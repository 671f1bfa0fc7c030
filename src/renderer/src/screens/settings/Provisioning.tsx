import { useEffect, useState } from 'react';
import * as Tabs from '@radix-ui/react-tabs';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { AccountSummary } from '../../../../shared/contract/workspace';
import type { ProvisioningView, SelfCheckResult } from '../../../../shared/contract/provisioning';
import { TEAM_LEVELS, type TeamLevel } from '../../../../shared/domain';
import { api } from '../../api';
import { useAccountChoice } from '../../components/useAccountChoice';
import { Notice } from '../../components/Notice';
import { AccountSelect } from '../../components/AccountSelect';

const MUTED = { marginTop: 0, fontSize: 12.5 } as const;
const ROW = { display: 'flex', gap: 8, alignItems: 'end', flexWrap: 'wrap' } as const;
const DIALOG = { position: 'fixed', inset: 0, margin: 'auto', height: 'fit-content', maxWidth: 460, background: 'var(--panel, #fff)', color: 'inherit', padding: 20, borderRadius: 8, boxShadow: '0 8px 30px rgba(0,0,0,.3)' } as const;

/** A read-only value with a Copy button (the token, the base URL). */
function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div style={ROW}>
      <label htmlFor={id} style={{ flex: 1 }}>
        {label}
        <input id={id} readOnly value={value} style={{ display: 'block', width: '100%', fontFamily: 'monospace' }} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button
        type="button"
        aria-label={`Copy ${label}`}
        onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false))}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

/** A button that asks first, in an accessible dialog (Escape cancels, focus returns). */
function Confirm(p: { label: string; title: string; text: string; action: string; onConfirm: () => void; disabled?: boolean }) {
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger asChild>
        <button type="button" disabled={p.disabled}>
          {p.label}
        </button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay style={{ position: 'fixed', inset: 0, background: 'rgba(0,0,0,.4)' }} />
        <AlertDialog.Content style={DIALOG}>
          <AlertDialog.Title style={{ marginTop: 0 }}>{p.title}</AlertDialog.Title>
          <AlertDialog.Description>{p.text}</AlertDialog.Description>
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <AlertDialog.Cancel asChild>
              <button type="button">Cancel</button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button type="button" onClick={p.onConfirm}>
                {p.action}
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** The vendors' own steps: what to paste where, and the attribute mapping to keep. */
function VendorSteps({ baseUrl }: { baseUrl: string }) {
  return (
    <Tabs.Root defaultValue="entra">
      <Tabs.List aria-label="Identity provider" style={{ display: 'flex', gap: 4, borderBottom: '1px solid var(--border, #ccc)' }}>
        <Tabs.Trigger className="tab" value="entra">
          Microsoft Entra ID
        </Tabs.Trigger>
        <Tabs.Trigger className="tab" value="okta">
          Okta
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="entra">
        <ol>
          <li>
            Entra admin center › Enterprise applications › New application › <strong>Create your own application</strong> (“Integrate any other
            application you don’t find in the gallery”).
          </li>
          <li>
            Provisioning › Provisioning Mode <strong>Automatic</strong>. <strong>Tenant URL</strong>: <code>{baseUrl}</code>.{' '}
            <strong>Secret Token</strong>: the token above. Select <strong>Test Connection</strong>, then Save.
          </li>
          <li>
            Mappings › Provision Microsoft Entra ID Users: keep <code>userPrincipalName → userName</code>, <code>mail → emails[type eq "work"].value</code>,{' '}
            <code>Switch([IsSoftDeleted], , "False", "True", "True", "False") → active</code>, <code>objectId → externalId</code>,{' '}
            <code>displayName</code>, <code>givenName → name.givenName</code>, <code>surname → name.familyName</code>; optional enterprise attributes{' '}
            <code>employeeId → employeeNumber</code>, <code>department</code>, <code>manager</code>.
          </li>
          <li>
            Recommended: add <code>?aadOptscim062020</code> to the Tenant URL for Entra ID’s RFC-compliant PATCH; SSO Desk understands both forms.
          </li>
          <li>Users and groups: assign who should have access, then Start provisioning. Entra ID syncs every 40 minutes.</li>
        </ol>
      </Tabs.Content>
      <Tabs.Content value="okta">
        <ol>
          <li>
            Okta Admin Console › Applications › Create App Integration › SAML 2.0 or OIDC (for sign-in) › then General › App Settings ›{' '}
            <strong>Provisioning: SCIM</strong>.
          </li>
          <li>
            Provisioning › Integration: <strong>SCIM connector base URL</strong> <code>{baseUrl}</code>; <strong>Unique identifier field for users</strong>{' '}
            <code>userName</code>; supported actions: Push New Users, Push Profile Updates, Push Groups; <strong>Authentication Mode</strong> HTTP Header,
            Authorization: the token above. <strong>Test Connector Configuration</strong>, then Save.
          </li>
          <li>
            Provisioning › To App: enable Create Users, Update User Attributes, Deactivate Users (Okta sends <code>active: false</code>; SSO Desk then
            refuses every sign-in of that user in this account). Sync Password is optional: SSO Desk hashes it, or drops it when the account signs in
            through SSO or pass-through.
          </li>
          <li>
            Attribute mappings: keep Okta’s defaults (<code>userName</code>, <code>givenName</code>, <code>familyName</code>, <code>email</code> as
            primary work email). Push Groups to send groups, then map them to bot teams below.
          </li>
        </ol>
      </Tabs.Content>
    </Tabs.Root>
  );
}

/** Settings › Provisioning: SCIM 2.0 for Okta and Entra ID, per account. */
export function ProvisioningSettings() {
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [account, setAccount] = useAccountChoice((accounts ?? []).map((a) => a.id));
  const [view, setView] = useState<ProvisioningView | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [check, setCheck] = useState<SelfCheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [mapping, setMapping] = useState<{ groupName: string; bot: string; level: TeamLevel }>({ groupName: '', bot: '', level: 'operator' });

  useEffect(() => {
    void api.workspace.accounts().then((r) => (r.ok ? setAccounts(r.value) : setMessage({ ok: false, text: r.error.message })));
  }, []);
  useEffect(() => {
    if (!account) return;
    setToken(null);
    setCheck(null);
    setMessage(null);
    void api.provisioning.get({ account }).then((r) => {
      if (!r.ok) return setMessage({ ok: false, text: r.error.message });
      setView(r.value);
      setMapping((m) => ({ ...m, bot: r.value.bots[0]?.id ?? '' }));
    });
  }, [account]);

  const apply = (r: Awaited<ReturnType<typeof api.provisioning.get>>, text: string) => {
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setView(r.value);
    setMessage({ ok: true, text });
  };
  const rotate = async () => {
    const r = await api.provisioning.rotateToken({ account });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setToken(r.value.token);
    setMessage({ ok: true, text: `New token created${r.value.replaced ? '; the previous one no longer works' : ''}. Copy it now: it is shown only this once.` });
    const v = await api.provisioning.get({ account });
    if (v.ok) setView(v.value);
  };
  const runCheck = async () => {
    setChecking(true);
    setCheck(null);
    const r = await api.provisioning.selfCheck({ account });
    setChecking(false);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setCheck(r.value);
  };

  return (
    <section aria-labelledby="prov-title" className="panel">
      <h1 id="prov-title">Provisioning</h1>
      <p>
        Okta and Microsoft Entra ID keep this account’s users and groups in step through SCIM 2.0: they create, update, deactivate and delete users.
        A user the IdP deactivates is refused by every sign-in (password, pass-through, SSO and Platform SSO).
      </p>
      {accounts && <AccountSelect accounts={accounts} value={account} onChange={setAccount} showPlan />}
      <Notice message={message} />
      {view && view.account === account && (
        <>
          <article className="card" aria-labelledby="prov-switch">
            <h2 id="prov-switch">Endpoint</h2>
            <label className="check">
              <input
                type="checkbox"
                role="switch"
                checked={view.enabled}
                disabled={!view.enabled && !view.gate.allowed}
                aria-describedby="prov-gate"
                onChange={(e) => {
                  // Read now: the controlled input is back to the saved state by the time the answer arrives.
                  const on = e.target.checked;
                  void api.provisioning.setEnabled({ account, enabled: on }).then((r) => apply(r, `Provisioning ${on ? 'on' : 'off'} for ${view.accountName}.`));
                }}
              />{' '}
              Provisioning for {view.accountName}
            </label>
            <p id="prov-gate" className={view.gate.allowed ? undefined : 'warn'} style={MUTED}>
              {view.gate.reason}
            </p>
            {view.baseUrl ? <CopyField id="prov-base" label="SCIM base URL" value={view.baseUrl} /> : <p className="warn">The Platform API is not listening.</p>}
            <h3>Bearer token</h3>
            {token ? (
              <>
                <CopyField id="prov-token" label="New bearer token (shown once)" value={token} />
                <p className="warn" style={MUTED}>
                  Paste it into the IdP now. SSO Desk keeps only a hash of it; leaving this screen hides it for good.
                </p>
              </>
            ) : (
              <p style={MUTED}>
                {view.token
                  ? `A token ending in …${view.token.last4} is active since ${new Date(view.token.createdAt).toLocaleString()}.`
                  : 'No token: the IdP is refused until you create one.'}
              </p>
            )}
            <div style={ROW}>
              {view.token ? (
                <Confirm
                  label="Rotate token"
                  title="Rotate the provisioning token?"
                  text="A new token is created and the current one stops working at once: provisioning fails until the new token is pasted into the IdP."
                  action="Rotate"
                  onConfirm={() => void rotate()}
                />
              ) : (
                <button type="button" onClick={() => void rotate()}>
                  Create token
                </button>
              )}
              <Confirm
                label="Revoke token"
                disabled={!view.token}
                title="Revoke the provisioning token?"
                text="The IdP is refused (401) until a new token is created. Users already provisioned keep their state."
                action="Revoke"
                onConfirm={() => void api.provisioning.revokeToken({ account }).then((r) => { setToken(null); apply(r, 'Token revoked: the IdP is now refused.'); })}
              />
            </div>
            <p style={MUTED}>
              {view.stats.users} provisioned users ({view.stats.deactivated} deactivated), {view.stats.groups} groups. Each request is in Audit (method
              “scim”).
            </p>
          </article>

          <article className="card" aria-labelledby="prov-test">
            <h2 id="prov-test">Test provisioning</h2>
            <p style={MUTED}>
              Replays Entra ID’s Test connection and Okta’s test sequence against this endpoint with a temporary user and group, then removes them.
            </p>
            <button type="button" onClick={() => void runCheck()} disabled={checking || !view.enabled}>
              {checking ? 'Testing…' : 'Test provisioning'}
            </button>
            {!view.enabled && <p style={MUTED}>Switch provisioning on to test it.</p>}
            {check && (
              <>
                <p role="status" className={check.ok ? 'good' : 'bad'}>
                  {check.ok ? `All ${check.steps.length} steps passed.` : `${check.steps.filter((s) => !s.ok).length} of ${check.steps.length} steps failed.`}
                </p>
                <ol aria-label="Test provisioning steps">
                  {check.steps.map((s, i) => (
                    <li key={i}>
                      <span className={s.ok ? 'good' : 'bad'}>{s.ok ? 'Passed' : 'Failed'}</span> · {s.vendor} · {s.name} — <code>{s.request}</code>{' '}
                      {s.status ?? 'no answer'}
                      {!s.ok && <span className="bad"> ({s.detail})</span>}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </article>

          <article className="card" aria-labelledby="prov-steps">
            <h2 id="prov-steps">Set up your identity provider</h2>
            <VendorSteps baseUrl={view.baseUrl ?? '<api>/scim/v2'} />
          </article>

          <article className="card" aria-labelledby="prov-map">
            <h2 id="prov-map">Groups and bot teams</h2>
            <p style={MUTED}>Members of a mapped group are on the bot’s team at that level (the highest of their groups wins); places you made by hand stay.</p>
            {view.mappings.length > 0 ? (
              <ul aria-label="Group-to-team mappings">
                {view.mappings.map((m) => (
                  <li key={`${m.groupName}|${m.bot}`}>
                    “{m.groupName}” → {m.botName} as {m.level}{' '}
                    <button
                      type="button"
                      aria-label={`Remove mapping of ${m.groupName} to ${m.botName}`}
                      onClick={() => void api.provisioning.unmapGroup({ account, groupName: m.groupName, bot: m.bot }).then((r) => apply(r, `“${m.groupName}” no longer maps to ${m.botName}.`))}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p style={MUTED}>No mappings yet.</p>
            )}
            {view.bots.length === 0 ? (
              <p style={MUTED}>This account has no bots to map groups to.</p>
            ) : (
              <form
                style={ROW}
                onSubmit={(e) => {
                  e.preventDefault();
                  void api.provisioning.mapGroup({ account, ...mapping }).then((r) => apply(r, `“${mapping.groupName}” → ${mapping.bot} as ${mapping.level}.`));
                }}
              >
                <label>
                  Group name
                  <input list="prov-groups" required value={mapping.groupName} onChange={(e) => setMapping({ ...mapping, groupName: e.target.value })} style={{ display: 'block' }} />
                  <datalist id="prov-groups">
                    {view.groups.map((g) => (
                      <option key={g.id} value={g.displayName} />
                    ))}
                  </datalist>
                </label>
                <label>
                  Bot
                  <select aria-label="Bot" value={mapping.bot} onChange={(e) => setMapping({ ...mapping, bot: e.target.value })} style={{ display: 'block' }}>
                    {view.bots.map((b) => (
                      <option key={b.id} value={b.id}>
                        {b.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Level
                  <select aria-label="Level" value={mapping.level} onChange={(e) => setMapping({ ...mapping, level: e.target.value as TeamLevel })} style={{ display: 'block' }}>
                    {TEAM_LEVELS.map((l) => (
                      <option key={l} value={l}>
                        {l}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit">Add mapping</button>
              </form>
            )}
            {view.groups.length > 0 && (
              <p style={MUTED}>Provisioned groups: {view.groups.map((g) => `${g.displayName} (${g.members})`).join(', ')}</p>
            )}
          </article>
        </>
      )}
    </section>
  );
}
