import type { TraceHttp, TraceStep } from '@shared/trace';

/**
 * The step-by-step record of one run (a password login, an SSO flow), in the shared shape the
 * Simulator, the HAR export and the audit read. Engines put redacted text only into it: the trace
 * stores what it is given. A caller may create the trace and hand it to an engine, then read
 * `steps` while the engine is still adding to it: that is what makes the Simulator's timeline live.
 */
export class Trace {
  readonly steps: TraceStep[] = [];
  /** Epoch ms of the start, from the engine's clock (the HAR's startedDateTime is built from it). */
  readonly startedAt: number;
  private readonly t0 = performance.now();

  constructor(now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** Milliseconds since the run started. */
  elapsed(): number {
    return Math.round(performance.now() - this.t0);
  }

  add(step: string, outcome: TraceStep['outcome'], detail: string, http?: TraceHttp): void {
    const s: TraceStep = { step, outcome, detail, atMs: this.elapsed() };
    if (http) s.http = http;
    this.steps.push(s);
  }
  ok(step: string, detail: string, http?: TraceHttp): void {
    this.add(step, 'ok', detail, http);
  }
  fail(step: string, detail: string, http?: TraceHttp): void {
    this.add(step, 'fail', detail, http);
  }
  info(step: string, detail: string, http?: TraceHttp): void {
    this.add(step, 'info', detail, http);
  }
  warn(step: string, detail: string, http?: TraceHttp): void {
    this.add(step, 'warn', detail, http);
  }
}
