import type { TraceHttp, TraceStep } from '../../../shared/contract/passthrough';

/**
 * The step-by-step record of one attempt. Every text that enters it goes through the attempt's
 * scrubber first, so a password that slipped into a message or an answer reads `••••`.
 */
export class Trace {
  readonly steps: TraceStep[] = [];
  private readonly t0 = performance.now();

  constructor(private readonly scrub: (text: string) => string) {}

  add(step: string, outcome: TraceStep['outcome'], detail: string, http?: TraceHttp): void {
    const s: TraceStep = { step, outcome, detail: this.scrub(detail), atMs: Math.round(performance.now() - this.t0) };
    if (http) s.http = http;
    this.steps.push(s);
  }
}
