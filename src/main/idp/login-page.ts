import { escapeHtml } from '../server/http';

/**
 * The embedded IdP's plain login page: one form, no script, no external resources. Field names are
 * what a person reads ("Email", "Password") so tests and Playwright drive it by label.
 */
export function loginPage(opts: { uid: string; clientName: string; email?: string; error?: string }): string {
  const error = opts.error ? `<p role="alert" class="error">${escapeHtml(opts.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in — SSO Desk demo IdP</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;max-width:22rem;margin:3rem auto;color:#222}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}.error{color:#a00}.note{color:#555;font-size:13px}</style></head>
<body><main>
<h1>Sign in</h1>
<p class="note">SSO Desk demo IdP · signing in to ${escapeHtml(opts.clientName)}</p>
${error}
<form method="post" action="/interaction/${encodeURIComponent(opts.uid)}/login" autocomplete="off">
<label for="email">Email</label><input id="email" name="email" type="email" required autofocus value="${escapeHtml(opts.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
<p class="note">Demo users and their password are listed in SSO Desk under Keys.</p>
</main></body></html>`;
}

export function plainPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:30rem;margin:3rem auto;color:#222}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}
