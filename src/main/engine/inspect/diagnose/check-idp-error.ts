import type { Finding } from '@shared/contract/diagnose';
import { explainIdpError } from '@shared/idp-errors';
import { finding, type Check } from './model';

/**
 * `idp_error`: an error the IdP answered, in a callback (RFC 6749 §4.1.2.1), a token answer (§5.2),
 * an Okta/Entra JSON error body, or an error page (Entra ID shows AADSTS codes on a 400 page instead of
 * redirecting), explained from the offline catalogue with its fix.
 */
export const checkIdpError: Check = (ctx) => {
  const out: Finding[] = [];
  ctx.exchanges.forEach((ex, index) => {
    const json = ex.json ?? {};
    const error =
      ex.params.get('error') ??
      (typeof json.error === 'string' ? json.error : undefined) ??
      (typeof json.errorCode === 'string' ? json.errorCode : undefined);
    if (!error || ex.kind === 'authorize') {
      const page = errorPage(ex, index);
      if (page) out.push(page);
      return;
    }
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

/** An error page (4xx/5xx HTML or text) naming a catalogued code: the IdP's refusal in its own words. */
function errorPage(ex: Parameters<Check>[0]['exchanges'][number], index: number): Finding | null {
  const status = ex.raw?.status ?? 0;
  const body = ex.raw?.responseBody ?? '';
  if (status < 400 || !body || ex.json) return null;
  const text = body
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .slice(0, 4000);
  const x = explainIdpError({ error_description: text });
  // Only a catalogued code: a page's prose alone is not evidence of which error it is.
  if (!x.entry || !(x.aadsts || /\bE0000\d{3}\b/.test(text))) return null;
  const ids = [x.traceId && `trace ID ${x.traceId}`, x.correlationId && `correlation ID ${x.correlationId}`]
    .filter(Boolean)
    .join(', ');
  return finding(
    'idp_error',
    'error',
    { step: ex.step, index },
    `The IdP answered ${x.entry.id} (${x.entry.vendor}) on an error page (HTTP ${status}): ${x.entry.meaning}.` +
      `${ids ? ` Quote ${ids} to the IdP’s support.` : ''}`,
    `${x.entry.action.charAt(0).toUpperCase()}${x.entry.action.slice(1)}.`,
  );
}
