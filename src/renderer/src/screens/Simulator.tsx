import { useDesk } from '@renderer/store';
import { Timeline } from '@renderer/components/Timeline';
import { RecentRuns } from './simulator/RecentRuns';
import { ReplayForm } from './simulator/ReplayForm';
import { RunView } from './simulator/RunView';
import { useSimulator } from './simulator/useSimulator';
import './tools.css';

/**
 * The Simulator: what a support person does when a customer writes "I can't log in". One form
 * (account, email, password, device, method), through the real engines; the verdict first, with a
 * jump to the step that decided it; the recent runs are kept while the app runs.
 */
export function SimulatorScreen() {
  const version = useDesk((s) => s.info?.version ?? 'dev');
  const sim = useSimulator();
  const { prefill, run, forgot, error, loadError } = sim;
  return (
    <section aria-labelledby="sim-title" className="panel wide">
      <h1 id="sim-title">Simulator</h1>
      <p className="muted">
        Replays a customer’s login through the real engines: the policy’s decision, each HTTP exchange and each token
        check, step by step. Secrets read ••••.
      </p>
      {prefill && (
        <p role="note" className="card">
          Re-run of a saved run of {prefill.email}: the password is never saved
          {prefill.method === 'sso' ? '' : ' — type it again if the login needs one'}.
        </p>
      )}
      <ReplayForm
        form={sim.form}
        setForm={sim.setForm}
        accounts={sim.accounts}
        password={sim.password}
        setPassword={sim.setPassword}
        run={run}
        onSubmit={() => void sim.submit()}
        onSendReset={() => void sim.sendReset()}
      />
      {(error ?? loadError) && (
        <p role="alert" className="bad">
          {error ?? loadError}
        </p>
      )}
      {forgot && (
        <article aria-label="Password reset result" className="card">
          <p role="status" className={forgot.status < 300 ? 'good' : 'bad'}>
            {forgot.status < 300 ? 'Reset sent' : 'Reset not sent'}: {forgot.message}
          </p>
          <Timeline steps={forgot.trace} label="Reset steps" />
        </article>
      )}
      {run && (
        <RunView
          run={run}
          verdictRef={sim.verdictRef}
          secrets={sim.secrets}
          version={version}
          onRerun={(account) => void sim.submit(account)}
          onInspect={sim.inspect}
        />
      )}
      <RecentRuns runs={sim.runs} current={sim.current} onShow={sim.show} />
    </section>
  );
}
