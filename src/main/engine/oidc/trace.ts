import type { TraceStep } from '../../../shared/contract/oidc';

/**
 * The step-by-step record of one sign-in flow, shown live by the Simulator. Callers pass redacted
 * text only (see `redact.ts`): the trace stores what it is given.
 */
export class Trace {
  readonly steps: TraceStep[] = [];
  constructor(private readonly now: () => number) {}

  add(step: string, status: TraceStep['status'], detail: string): void {
    this.steps.push({ at: this.now(), step, status, detail });
  }
  ok(step: string, detail: string): void {
    this.add(step, 'ok', detail);
  }
  failed(step: string, detail: string): void {
    this.add(step, 'failed', detail);
  }
  info(step: string, detail: string): void {
    this.add(step, 'info', detail);
  }
}
