import * as Tabs from '@radix-ui/react-tabs';
import type { AccountSummary } from '@shared/contract/workspace';
import type { SimRunView } from '@shared/contract/simulator';
import { api } from '@renderer/api';
import { AccountSelect } from '@renderer/components/AccountSelect';
import type { Method, SimForm } from './sim-store';

const METHODS: Array<{ id: Method; label: string; hint: string }> = [
  {
    id: 'auto',
    label: 'Auto',
    hint: 'The policy decides, as the user’s own login would: SSO where the account enforces it, else the password login.',
  },
  {
    id: 'password',
    label: 'Password',
    hint: 'The platform’s password login (POST /auth/login): SSO Desk’s password or the organization’s external authentication.',
  },
  {
    id: 'sso',
    label: 'SSO',
    hint: '“Sign in with SSO”: the IdP’s page opens in a new tab; every exchange and token check is shown.',
  },
];

interface FormProps {
  form: SimForm;
  setForm: (patch: Partial<SimForm>) => void;
}

/** "Replay a login": account, email, password, device, method; Run (or Cancel while an SSO run waits). */
export function ReplayForm(
  props: FormProps & {
    accounts: AccountSummary[];
    password: string;
    setPassword: (p: string) => void;
    run: SimRunView | null;
    onSubmit: () => void;
    onSendReset: () => void;
  },
) {
  const { form, setForm, run } = props;
  const busy = run !== null && run.state !== 'done';
  return (
    <form aria-label="Replay a login" onSubmit={(e) => (e.preventDefault(), props.onSubmit())}>
      <div className="form-row">
        <AccountSelect
          accounts={props.accounts}
          value={form.account}
          onChange={(account) => setForm({ account })}
          any="Any (ask when several)"
        />
        <label>
          Email
          <input
            aria-label="Email"
            type="email"
            required
            autoComplete="off"
            value={form.email}
            onChange={(e) => setForm({ email: e.target.value })}
            style={{ display: 'block', width: 240 }}
          />
        </label>
        <label>
          Password (optional)
          <input
            aria-label="Password"
            type="password"
            autoComplete="off"
            value={props.password}
            onChange={(e) => props.setPassword(e.target.value)}
            style={{ display: 'block', width: 200 }}
          />
        </label>
      </div>
      <DeviceFields form={form} setForm={setForm} />
      <MethodTabs form={form} setForm={setForm} onSendReset={props.onSendReset} />
      <label className="check">
        <input
          type="checkbox"
          checked={form.countAgainstCustomer}
          onChange={(e) => setForm({ countAgainstCustomer: e.target.checked })}
        />
        Count a failed run against the customer’s login protection (off: support’s tries never lock the user out)
      </label>
      <p style={{ display: 'flex', gap: 8 }}>
        <button type="submit" className="primary" disabled={busy}>
          Run
        </button>
        {busy && run?.sso && (
          <button type="button" onClick={() => void api.sso.signin.cancel({ flowId: run.sso!.flowId })}>
            Cancel sign-in
          </button>
        )}
      </p>
    </form>
  );
}

/** The device the customer logs in from, as the policy and the audit see it. */
function DeviceFields({ form, setForm }: FormProps) {
  const device = (patch: Partial<SimForm['device']>) => setForm({ device: { ...form.device, ...patch } });
  return (
    <fieldset className="form-row" style={{ border: 'none', padding: 0, margin: '8px 0 0' }}>
      <legend className="muted">Device</legend>
      <label>
        OS
        <input
          aria-label="Device OS"
          value={form.device.os}
          onChange={(e) => device({ os: e.target.value })}
          style={{ display: 'block' }}
        />
      </label>
      <label>
        Name
        <input
          aria-label="Device name"
          value={form.device.name}
          onChange={(e) => device({ name: e.target.value })}
          style={{ display: 'block' }}
        />
      </label>
      <label>
        IP
        <input
          aria-label="Device IP"
          placeholder="none"
          value={form.device.ip}
          onChange={(e) => device({ ip: e.target.value })}
          style={{ display: 'block' }}
        />
      </label>
    </fieldset>
  );
}

/** Auto, Password or SSO, each with its hint and its own option (fresh IdP login, or a reset mail). */
function MethodTabs({ form, setForm, onSendReset }: FormProps & { onSendReset: () => void }) {
  return (
    <Tabs.Root className="sim-tabs" value={form.method} onValueChange={(v) => setForm({ method: v as Method })}>
      <Tabs.List aria-label="Method">
        {METHODS.map((m) => (
          <Tabs.Trigger key={m.id} value={m.id}>
            {m.label}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {METHODS.map((m) => (
        <Tabs.Content key={m.id} value={m.id}>
          <p className="muted" style={{ margin: '0 0 8px' }}>
            {m.hint}
          </p>
          {m.id !== 'password' && (
            <label className="check">
              <input
                type="checkbox"
                checked={form.freshLogin}
                onChange={(e) => setForm({ freshLogin: e.target.checked })}
              />
              Force a fresh login at the IdP (asks for the password again instead of reusing the IdP’s session)
            </label>
          )}
          {m.id === 'password' && (
            <p>
              <button
                type="button"
                disabled={!form.email}
                onClick={onSendReset}
                aria-describedby={form.email ? undefined : 'reset-why'}
              >
                Send a password reset
              </button>{' '}
              {!form.email && (
                <span id="reset-why" className="muted">
                  Enter the email first.
                </span>
              )}
            </p>
          )}
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}
