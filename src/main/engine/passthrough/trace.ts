import type { TraceHttp, TraceStep } from '../../../shared/contract/passthrough';

/**
 * The step-by-step record of one attempt. The engine writes its details itself and never puts the
 * password in them; text that comes from elsewhere (an answer, a Location) is scrubbed before it enters.
 */
export class Trace {
  readonly steps: TraceStep[] = [];
  private readonly t0 = performance.now();

  add(step: string, outcome: TraceStep['outcome'], detail: string, http?: TraceHttp): void {
    const s: TraceStep = { step, outcome, detail, atMs: Math.round(performance.now() - this.t0) };
    if (http) s.http = http;
    this.steps.push(s);
  }
}
