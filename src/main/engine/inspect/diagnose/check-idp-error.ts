import type { Finding } from '@shared/contract/diagnose';
import { explainIdpError } from '@shared/idp-errors';
import { finding, type Check } from './model';

/**
 * `idp_error`: an error the IdP answered, in a callback (RFC 6749 §4.1.2.1), a token answer (§5.2),
 * or an Okta/Entra JSON error body, explained from the offline catalogue with its fix.
 */
export const checkIdpError: Check = (ctx) => {
  const out: Finding[] = [];
  ctx.exchanges.forEach((ex, index) => {
    const json = ex.json ?? {};
    const error =
      ex.params.get('error') ??
      (typeof json.error === 'string' ? json.error : undefined) ??
      (typeof json.errorCode === 'string' ? json.errorCode : undefined);
    if (!error || ex.kind === 'authorize') return;
    const description =
      ex.params.get('error_description') ??
      (typeof json.error_description === 'string' ? json.error_description : undefined) ??
      (typeof json.errorSummary === 'string' ? `${String(json.errorCode ?? '')} ${json.errorSummary}` : undefined) ??
      '';
    const x = explainIdpError({
      error,
      error_description: description,
      trace_id: typeof json.trace_id === 'string' ? json.trace_id : null,
      correlation_id: typeof json.correlation_id === 'string' ? json.correlation_id : null,
    });
    const ids = [x.traceId && `trace ID ${x.traceId}`, x.correlationId && `correlation ID ${x.correlationId}`]
      .filter(Boolean)
      .join(', ');
    out.push(
      finding(
        'idp_error',
        'error',
        { step: ex.step, index },
        x.entry
          ? `The IdP answered ${x.entry.id} (${x.entry.vendor}): ${x.entry.meaning}.${ids ? ` Quote ${ids} to the IdP’s support.` : ''}`
          : `The IdP answered error "${error}"` +
              `${description ? `: ${description.slice(0, 300)}` : ''}.` +
              `${ids ? ` Quote ${ids} to the IdP’s support.` : ''}`,
        x.entry
          ? `${x.entry.action.charAt(0).toUpperCase()}${x.entry.action.slice(1)}.`
          : 'Look the error up in the IdP’s documentation or send the redacted report to its support.',
      ),
    );
  });
  return out;
};
