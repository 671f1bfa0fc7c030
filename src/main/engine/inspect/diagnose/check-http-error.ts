import type { Finding } from '@shared/contract/diagnose';
import { finding, type Check } from './model';

/** `http_error`: a 4xx or 5xx answer in the sign-in that no more specific finding explains. */
export const checkHttpError: Check = (ctx) => {
  const out: Finding[] = [];
  for (const [index, ex] of ctx.exchanges.entries()) {
    const status = ex.raw?.status ?? 0;
    if (status < 400) continue;
    let host = '';
    try {
      host = new URL(ex.raw!.url).host;
    } catch {
      host = 'the server';
    }
    out.push(
      finding(
        'http_error',
        status >= 500 ? 'error' : 'warning',
        { step: ex.step, index },
        `${host} answered HTTP ${status}${ex.raw?.statusText ? ` ${ex.raw.statusText}` : ''} to the ${ex.step} step.`,
        status >= 500
          ? `The server at ${host} failed: try again later, or send the redacted report to its owner.`
          : `The request was refused by ${host}: read the answer in the timeline for its reason.`,
      ),
    );
  }
  return out;
};
