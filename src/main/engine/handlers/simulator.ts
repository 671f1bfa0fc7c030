import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { simulatorRunsFor } from '../simulator/runs';
import { thisDevice } from '../simulator/device';

type Names =
  | 'simulate.device'
  | 'simulate.run.start'
  | 'simulate.run.status'
  | 'simulate.run.idToken'
  | 'simulate.run.logout'
  | 'simulate.save';

/** The unified Simulator: device defaults, runs through the real engines, saving a run to the audit. */
export function simulatorHandlers(ctx: EngineContext): Pick<Handlers, Names> {
  const runs = simulatorRunsFor(ctx);
  return {
    'simulate.device': () => thisDevice(),
    'simulate.run.start': (input) => runs.start(input),
    'simulate.run.status': (input) => runs.status(input.runId),
    'simulate.run.idToken': (input) => runs.idToken(input.runId),
    'simulate.run.logout': (input) => runs.logout(input.runId),
    'simulate.save': (input) => runs.save(input.runId),
  };
}
