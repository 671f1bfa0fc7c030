import { useEffect, useMemo, useState } from 'react';
import * as Tabs from '@radix-ui/react-tabs';
import type { Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import type { AccountSummary } from '@shared/contract/workspace';
import { GroupMappingInput, type ProvisioningView, type SelfCheckResult } from '@shared/contract/provisioning';
import { TEAM_LEVELS } from '@shared/domain';
import { api } from '../../api';
import { useAccountChoice } from '../../components/useAccountChoice';
import { Notice } from '../../components/Notice';
import { AccountSelect } from '../../components/AccountSelect';
import { DraftBar, draftFormProps, useDraft } from '../../components/ui/draft';
import { useConfirm } from '../../components/ui/ConfirmDialog';
import { Field, fieldAria } from '../../components/ui/Field';
import { useToast } from '../../components/ui/Toast';
import { useUnsaved } from '../../components/ui/unsaved';

const MUTED = { marginTop: 0, fontSize: 12.5 } as const;
const ROW = { display: 'flex', gap: 8, alignItems: 'end', flexWrap: 'wrap' } as const;

/** A read-only value with a Copy button (the token, the base URL). */
function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div style={ROW}>
      <label htmlFor={id} style={{ flex: 1 }}>
        {label}
        <input
          id={id}
          readOnly
          value={value}
          style={{ display: 'block', width: '100%', fontFamily: 'monospace' }}
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <button
        type="button"
        aria-label={`Copy ${label}`}
        onClick={() =>
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

/** The vendors' own steps: what to paste where, and the attribute mapping to keep. */
function VendorSteps({ baseUrl }: { baseUrl: string }) {
  return (
    <Tabs.Root defaultValue="entra">
      <Tabs.List
        aria-label="Identity provider"
        style={{ display: 'flex', gap: 4, borderBottom: '1px solid var(--border, #ccc)' }}
      >
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
            Entra admin center › Enterprise applications › New application ›{' '}
            <strong>Create your own application</strong> (“Integrate any other application you don’t find in the
            gallery”).
          </li>
          <li>
            Provisioning › Provisioning Mode <strong>Automatic</strong>. <strong>Tenant URL</strong>:{' '}
            <code>{baseUrl}</code>. <strong>Secret Token</strong>: the token above. Select{' '}
            <strong>Test Connection</strong>, then Save.
          </li>
          <li>
            Mappings › Provision Microsoft Entra ID Users: keep <code>userPrincipalName → userName</code>,{' '}
            <code>mail → emails[type eq "work"].value</code>,{' '}
            <code>Switch([IsSoftDeleted], , "False", "True", "True", "False") → active</code>,{' '}
            <code>objectId → externalId</code>, <code>displayName</code>, <code>givenName → name.givenName</code>,{' '}
            <code>surname → name.familyName</code>; optional enterprise attributes{' '}
            <code>employeeId → employeeNumber</code>, <code>department</code>, <code>manager</code>.
          </li>
          <li>
            Recommended: add <code>?aadOptscim062020</code> to the Tenant URL for Entra ID’s RFC-compliant PATCH; SSO
            Desk understands both forms.
          </li>
          <li>
            Users and groups: assign who should have access, then Start provisioning. Entra ID syncs every 40 minutes.
          </li>
        </ol>
      </Tabs.Content>
      <Tabs.Content value="okta">
        <ol>
          <li>
            Okta Admin Console › Applications › Create App Integration › SAML 2.0 or OIDC (for sign-in) › then General ›
            App Settings › <strong>Provisioning: SCIM</strong>.
          </li>
          <li>
            Provisioning › Integration: <strong>SCIM connector base URL</strong> <code>{baseUrl}</code>;{' '}
            <strong>Unique identifier field for users</strong> <code>userName</code>; supported actions: Push New Users,
            Push Profile Updates, Push Groups; <strong>Authentication Mode</strong> HTTP Header, Authorization: the
            token above. <strong>Test Connector Configuration</strong>, then Save.
          </li>
          <li>
            Provisioning › To App: enable Create Users, Update User Attributes, Deactivate Users (Okta sends{' '}
            <code>active: false</code>; SSO Desk then refuses every sign-in of that user in this account). Sync Password
            is optional: SSO Desk hashes it, or drops it when the account signs in through SSO or pass-through.
          </li>
          <li>
            Attribute mappings: keep Okta’s defaults (<code>userName</code>, <code>givenName</code>,{' '}
            <code>familyName</code>, <code>email</code> as primary work email). Push Groups to send groups, then map
            them to bot teams below.
          </li>
        </ol>
      </Tabs.Content>
    </Tabs.Root>
  );
}

/** The configuration of provisioning that Settings › Provisioning keeps as a draft: the switch and the group mappings. */
const ConfigValues = z.object({ enabled: z.boolean(), mappings: z.array(GroupMappingInput) });
type ConfigValues = z.infer<typeof ConfigValues>;
const configResolver = zodResolver(ConfigValues) as unknown as Resolver<ConfigValues>;
const toConfig = (v: ProvisioningView): ConfigValues => ({
  enabled: v.enabled,
  mappings: v.mappings.map((m) => ({ groupName: m.groupName, bot: m.bot, level: m.level })),
});
const mappingKey = (m: { groupName: string; bot: string }) => `${m.groupName.toLowerCase()}|${m.bot}`;

/** Settings › Provisioning: SCIM 2.0 for Okta and Entra ID, per account. */
export function ProvisioningSettings() {
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [account, setAccount] = useAccountChoice((accounts ?? []).map((a) => a.id));
  const leave = useUnsaved((s) => s.leave);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    void api.workspace.accounts().then((r) => (r.ok ? setAccounts(r.value) : setFailure(r.error.message)));
  }, []);
  return (
    <section aria-labelledby="prov-title" className="panel">
      <h1 id="prov-title">Provisioning</h1>
      <p>
        Okta and Microsoft Entra ID keep this account’s users and groups in step through SCIM 2.0: they create, update,
        deactivate and delete users. A user the IdP deactivates is refused by every sign-in (password, pass-through, SSO
        and Platform SSO).
      </p>
      {accounts && (
        <AccountSelect
          accounts={accounts}
          value={account}
          onChange={(id) => id !== account && leave(() => setAccount(id))}
          showPlan
        />
      )}
      {failure && <p role="alert">{failure}</p>}
      {account && <ProvisioningLoader key={account} account={account} />}
    </section>
  );
}

function ProvisioningLoader({ account }: { account: string }) {
  const [view, setView] = useState<ProvisioningView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    void api.provisioning.get({ account }).then((r) => (r.ok ? setView(r.value) : setFailure(r.error.message)));
  }, [account]);
  if (failure) return <p role="alert">{failure}</p>;
  if (!view) return <p>Loading…</p>;
  return <ProvisioningAccount view={view} setView={setView} />;
}

/**
 * Saves a provisioning draft as the calls it takes (the switch, removed mappings, new or changed ones), in
 * order, stopping at the first refusal. Returns the last view and what was saved before any refusal.
 */
async function applyProvisioning(
  view: ProvisioningView,
  values: ConfigValues,
): Promise<{ last: ProvisioningView; done: string[]; error?: string }> {
  const account = view.account;
  const botName = (id: string) => view.bots.find((b) => b.id === id)?.name ?? id;
  let last: ProvisioningView = view;
  const done: string[] = [];
  if (values.enabled !== view.enabled) {
    const r = await api.provisioning.setEnabled({ account, enabled: values.enabled });
    if (!r.ok) return { last, done, error: r.error.message };
    last = r.value;
    done.push(`provisioning ${values.enabled ? 'on' : 'off'} for ${view.accountName}`);
  }
  const want = new Map(values.mappings.map((m) => [mappingKey(m), m]));
  for (const m of view.mappings) {
    if (want.has(mappingKey(m))) continue;
    const r = await api.provisioning.unmapGroup({ account, groupName: m.groupName, bot: m.bot });
    if (!r.ok) return { last, done, error: r.error.message };
    last = r.value;
    done.push(`“${m.groupName}” no longer maps to ${m.botName}`);
  }
  for (const m of values.mappings) {
    const was = view.mappings.find((x) => mappingKey(x) === mappingKey(m));
    if (was && was.level === m.level) continue;
    const r = await api.provisioning.mapGroup({ account, ...m });
    if (!r.ok) return { last, done, error: `“${m.groupName}”: ${r.error.message}` };
    last = r.value;
    done.push(`“${m.groupName}” → ${botName(m.bot)} as ${m.level}`);
  }
  return { last, done };
}

function ProvisioningAccount({ view, setView }: { view: ProvisioningView; setView: (v: ProvisioningView) => void }) {
  const toast = useToast();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const saved = useMemo(() => toConfig(view), [view]);

  const draft = useDraft<ConfigValues>({
    label: `Provisioning of ${view.accountName}`,
    saved,
    resolver: configResolver,
    onSave: async (values) => {
      const { last, done, error } = await applyProvisioning(view, values);
      if (error) {
        setView(last);
        setMessage({ ok: false, text: done.length ? `${error} (saved before it: ${done.join('; ')})` : error });
        return null;
      }
      setView(last);
      const said = done.join('; ');
      const text = said ? `Saved. ${said.charAt(0).toUpperCase()}${said.slice(1)}.` : 'Nothing to save.';
      setMessage({ ok: true, text });
      toast(text);
      return toConfig(last);
    },
  });
  const d = draft.form.watch();
  const mappings = d.mappings ?? [];

  const setMappings = (next: ConfigValues['mappings']) =>
    draft.form.setValue('mappings', next, { shouldDirty: true, shouldValidate: true });

  return (
    <form {...draftFormProps(draft, `Provisioning of ${view.accountName}`)}>
      <Notice message={message} />
      <article className="card" aria-labelledby="prov-switch">
        <h2 id="prov-switch">Endpoint</h2>
        <label className="check">
          <input
            type="checkbox"
            role="switch"
            checked={d.enabled}
            disabled={!d.enabled && !view.gate.allowed}
            aria-describedby="prov-gate"
            onChange={(e) => draft.form.setValue('enabled', e.target.checked, { shouldDirty: true })}
          />{' '}
          Provisioning for {view.accountName}
          {d.enabled !== view.enabled && <span className="warn"> — {d.enabled ? 'on' : 'off'}, not saved yet</span>}
        </label>
        <p id="prov-gate" className={view.gate.allowed ? undefined : 'warn'} style={MUTED}>
          {view.gate.reason}
        </p>
        {view.baseUrl ? (
          <CopyField id="prov-base" label="SCIM base URL" value={view.baseUrl} />
        ) : (
          <p className="warn">The Platform API is not listening.</p>
        )}
        <BearerToken view={view} setView={setView} onMessage={setMessage} />
        <p style={MUTED}>
          {view.stats.users} provisioned users ({view.stats.deactivated} deactivated), {view.stats.groups} groups. Each
          request is in Audit (method “scim”).
        </p>
      </article>

      <SelfCheck view={view} onMessage={setMessage} />

      <article className="card" aria-labelledby="prov-steps">
        <h2 id="prov-steps">Set up your identity provider</h2>
        <VendorSteps baseUrl={view.baseUrl ?? '<api>/scim/v2'} />
      </article>

      <Mappings view={view} mappings={mappings} onChange={setMappings} />
      <DraftBar
        dirty={draft.dirty}
        saving={draft.saving}
        onSave={() => void draft.save()}
        onDiscard={draft.discard}
        what={`provisioning of ${view.accountName}`}
      />
    </form>
  );
}

/** The SCIM bearer token: shown once when created, rotated or revoked after a confirmation. */
function BearerToken(props: {
  view: ProvisioningView;
  setView: (v: ProvisioningView) => void;
  onMessage: (m: { ok: boolean; text: string }) => void;
}) {
  const { view, setView } = props;
  const setMessage = props.onMessage;
  const account = view.account;
  const confirm = useConfirm();
  const [token, setToken] = useState<string | null>(null);
  const rotate = async () => {
    const r = await api.provisioning.rotateToken({ account });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setToken(r.value.token);
    setMessage({
      ok: true,
      text: `New token created${r.value.replaced ? '; the previous one no longer works' : ''}. Copy it now: it is shown only this once.`,
    });
    const v = await api.provisioning.get({ account });
    if (v.ok) setView(v.value);
  };
  const askRotate = async () => {
    const yes = await confirm({
      title: 'Rotate the provisioning token?',
      description:
        'A new token is created and the current one stops working at once: provisioning fails until the new token is pasted into the IdP.',
      confirmLabel: 'Rotate',
      destructive: true,
    });
    if (yes) await rotate();
  };
  const askRevoke = async () => {
    const yes = await confirm({
      title: 'Revoke the provisioning token?',
      description: 'The IdP is refused (401) until a new token is created. Users already provisioned keep their state.',
      confirmLabel: 'Revoke',
      destructive: true,
    });
    if (!yes) return;
    const r = await api.provisioning.revokeToken({ account });
    setToken(null);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setView(r.value);
    setMessage({ ok: true, text: 'Token revoked: the IdP is now refused.' });
  };
  return (
    <>
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
          <button type="button" onClick={() => void askRotate()}>
            Rotate token
          </button>
        ) : (
          <button type="button" onClick={() => void rotate()}>
            Create token
          </button>
        )}
        <button type="button" disabled={!view.token} onClick={() => void askRevoke()}>
          Revoke token
        </button>
      </div>
    </>
  );
}

/** Replays Entra ID's and Okta's test sequences against the endpoint, step by step. */
function SelfCheck({
  view,
  onMessage,
}: {
  view: ProvisioningView;
  onMessage: (m: { ok: boolean; text: string }) => void;
}) {
  const account = view.account;
  const [check, setCheck] = useState<SelfCheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const runCheck = async () => {
    setChecking(true);
    setCheck(null);
    const r = await api.provisioning.selfCheck({ account });
    setChecking(false);
    if (!r.ok) return onMessage({ ok: false, text: r.error.message });
    setCheck(r.value);
  };
  return (
    <article className="card" aria-labelledby="prov-test">
      <h2 id="prov-test">Test provisioning</h2>
      <p style={MUTED}>
        Replays Entra ID’s Test connection and Okta’s test sequence against this endpoint with a temporary user and
        group, then removes them.
      </p>
      <button type="button" onClick={() => void runCheck()} disabled={checking || !view.enabled}>
        {checking ? 'Testing…' : 'Test provisioning'}
      </button>
      {!view.enabled && <p style={MUTED}>Switch provisioning on and save to test it.</p>}
      {check && (
        <>
          <p role="status" className={check.ok ? 'good' : 'bad'}>
            {check.ok
              ? `All ${check.steps.length} steps passed.`
              : `${check.steps.filter((s) => !s.ok).length} of ${check.steps.length} steps failed.`}
          </p>
          <ol aria-label="Test provisioning steps">
            {check.steps.map((s, i) => (
              <li key={i}>
                <span className={s.ok ? 'good' : 'bad'}>{s.ok ? 'Passed' : 'Failed'}</span> · {s.vendor} · {s.name} —{' '}
                <code>{s.request}</code> {s.status ?? 'no answer'}
                {!s.ok && <span className="bad"> ({s.detail})</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </article>
  );
}

/** The group-to-team mappings of the draft: what is saved, what is not yet, and the adder. */
function Mappings(props: {
  view: ProvisioningView;
  mappings: ConfigValues['mappings'];
  onChange: (next: ConfigValues['mappings']) => void;
}) {
  const { view, mappings } = props;
  const setMappings = props.onChange;
  const botName = (id: string) => view.bots.find((b) => b.id === id)?.name ?? id;
  const savedKeys = new Set(view.mappings.map((m) => `${mappingKey(m)}|${m.level}`));
  return (
    <article className="card" aria-labelledby="prov-map">
      <h2 id="prov-map">Groups and bot teams</h2>
      <p style={MUTED}>
        Members of a mapped group are on the bot’s team at that level (the highest of their groups wins); places you
        made by hand stay.
      </p>
      {mappings.length > 0 ? (
        <ul aria-label="Group-to-team mappings">
          {mappings.map((m) => (
            <li key={mappingKey(m)}>
              “{m.groupName}” → {botName(m.bot)} as {m.level}
              {!savedKeys.has(`${mappingKey(m)}|${m.level}`) && <span className="warn"> — not saved yet</span>}{' '}
              <button
                type="button"
                aria-label={`Remove mapping of ${m.groupName} to ${botName(m.bot)}`}
                onClick={() => setMappings(mappings.filter((x) => mappingKey(x) !== mappingKey(m)))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p style={MUTED}>No mappings yet.</p>
      )}
      {view.mappings.some((m) => !mappings.some((x) => mappingKey(x) === mappingKey(m))) && (
        <p className="warn" style={MUTED}>
          Removed, not saved yet:{' '}
          {view.mappings
            .filter((m) => !mappings.some((x) => mappingKey(x) === mappingKey(m)))
            .map((m) => `“${m.groupName}” → ${m.botName}`)
            .join(', ')}
        </p>
      )}
      {view.bots.length === 0 ? (
        <p style={MUTED}>This account has no bots to map groups to.</p>
      ) : (
        <AddMapping
          view={view}
          onAdd={(m) => setMappings([...mappings.filter((x) => mappingKey(x) !== mappingKey(m)), m])}
        />
      )}
      {view.groups.length > 0 && (
        <p style={MUTED}>Provisioned groups: {view.groups.map((g) => `${g.displayName} (${g.members})`).join(', ')}</p>
      )}
    </article>
  );
}

const mappingResolver = zodResolver(GroupMappingInput) as unknown as Resolver<GroupMappingInput>;
const MAPPING_LABELS = { groupName: 'Group name', bot: 'Bot', level: 'Level' } as const;

/**
 * Adds a mapping to the draft (saved with the rest by Save). Not a nested <form>: Enter in the group
 * name adds it, and the draft form's own Enter-to-save is kept out of it.
 */
function AddMapping({ view, onAdd }: { view: ProvisioningView; onAdd: (m: GroupMappingInput) => void }) {
  const [empty] = useState<GroupMappingInput>(() => ({
    groupName: '',
    bot: view.bots[0]?.id ?? '',
    level: 'operator',
  }));
  // Part of the page's draft, not a draft of its own: it does not guard leaving, and validates on Add.
  const { form, save: add } = useDraft<GroupMappingInput>({
    label: 'a new mapping',
    saved: empty,
    resolver: mappingResolver,
    guard: false,
    mode: 'onSubmit',
    onSave: async (m, f) => {
      onAdd(m);
      f.reset({ groupName: '', bot: m.bot, level: m.level });
      return null;
    },
  });
  const errors = form.formState.errors;
  return (
    <div
      role="group"
      aria-label="Add a mapping"
      style={ROW}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
          e.preventDefault();
          e.stopPropagation();
          void add();
        }
      }}
    >
      <Field id="prov-map-group" label={MAPPING_LABELS.groupName} error={errors.groupName?.message}>
        <input list="prov-groups" {...fieldAria('prov-map-group', errors.groupName)} {...form.register('groupName')} />
        <datalist id="prov-groups">
          {view.groups.map((g) => (
            <option key={g.id} value={g.displayName} />
          ))}
        </datalist>
      </Field>
      <Field id="prov-map-bot" label={MAPPING_LABELS.bot} error={errors.bot?.message}>
        <select {...fieldAria('prov-map-bot', errors.bot)} {...form.register('bot')}>
          {view.bots.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="prov-map-level" label={MAPPING_LABELS.level} error={errors.level?.message}>
        <select {...fieldAria('prov-map-level', errors.level)} {...form.register('level')}>
          {TEAM_LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </Field>
      <button type="button" onClick={() => void add()}>
        Add mapping
      </button>
    </div>
  );
}
