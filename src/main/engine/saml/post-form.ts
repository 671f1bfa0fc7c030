import { randomBytes } from 'node:crypto';
import { xmlEscape } from './xml-safety';

/** A page of the HTTP-POST binding, with the Content-Security-Policy that lets only its own script run. */
export interface PostPage {
  html: string;
  csp: string;
}

const STYLE =
  'body{font:15px system-ui,sans-serif;max-width:22rem;margin:3rem auto;color:#222}button{margin-top:1rem;' +
  'padding:.5rem 1rem}';

/**
 * The HTTP-POST binding (SAML 2.0 Bindings §3.5): a form that carries a SAML message (`SAMLRequest` or
 * `SAMLResponse`, base64) to `action`, submitted by its script — or by hand, with the button, where scripts
 * are off. The demo IdP posts its responses with it; the SP its AuthnRequests to an IdP that takes only POST.
 */
export function autoPostPage(opts: {
  title: string;
  heading: string;
  button: string;
  action: string;
  fields: Record<string, string>;
  /**
   * Where the form may go (CSP form-action), by default the action's origin. An IdP's SSO URL may redirect
   * to another origin (a login host, a federated IdP), and browsers hold redirects after a post to
   * form-action too: the SP's page allows any web origin.
   */
  formAction?: string;
}): PostPage {
  const nonce = randomBytes(16).toString('base64');
  const hidden = Object.entries(opts.fields)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<input type="hidden" name="${xmlEscape(k)}" value="${xmlEscape(v)}">`)
    .join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${xmlEscape(opts.title)}</title>
<style>${STYLE}</style></head><body><main><h1>${xmlEscape(opts.heading)}</h1>
<form id="saml" method="post" action="${xmlEscape(opts.action)}">
${hidden}
<button type="submit">${xmlEscape(opts.button)}</button></form>
<script nonce="${nonce}">document.getElementById('saml').submit()</script></main></body></html>`;
  const target = opts.formAction ?? new URL(opts.action).origin;
  return {
    html,
    csp:
      `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action ${target}; ` +
      `frame-ancestors 'none'; base-uri 'none'`,
  };
}
