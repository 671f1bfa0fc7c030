import type { Diagnosis } from './contract/diagnose';
import { displayUrl, scrub } from './redact';

/**
 * The redacted report of a diagnosis, to send back to a customer: the findings with their fixes, the
 * timeline, and what was skipped. Built only from masked parts (never `secrets`), and scrubbed of every
 * secret value once more, in case one travelled somewhere no rule knew of.
 */
export function diagnosisMarkdown(d: Diagnosis, title = 'SSO Desk — sign-in diagnosis'): string {
  const s = (t: string) =>
    scrub(
      t,
      d.secrets.map((x) => x.value),
    );
  const lines = [`# ${title}`, '', s(d.summary), ''];
  lines.push('## Findings', '');
  if (d.findings.length === 0) lines.push('No problem found.', '');
  for (const f of d.findings)
    lines.push(`- **${f.code}** (${f.severity}, step: ${f.step}): ${s(f.message)}`, `  - Fix: ${s(f.fix)}`);
  lines.push('', '## Timeline', '');
  d.exchanges.forEach((e, i) => {
    const url = e.http ? ` — \`${e.http.request.method} ${s(displayUrl(e.http.request.url))}\`` : '';
    lines.push(`${i + 1}. **${e.step}** (${e.outcome}, +${e.atMs} ms)${url}`, `   ${s(e.detail)}`);
  });
  if (d.notes.length) lines.push('', '## Skipped or unreadable', '', ...d.notes.map((n) => `- ${s(n)}`));
  lines.push(
    '',
    `Secrets (codes, tokens, cookies, passwords) are shown as ••••. Requests read: ${d.totalEntries}.`,
    '',
  );
  return lines.join('\n');
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The same report as a standalone HTML page (no scripts, no external resources). */
export function diagnosisHtml(d: Diagnosis, title = 'SSO Desk — sign-in diagnosis'): string {
  const s = (t: string) =>
    esc(
      scrub(
        t,
        d.secrets.map((x) => x.value),
      ),
    );
  const findings = d.findings.length
    ? `<ul>` +
      `${d.findings
        .map(
          (f) =>
            `<li><strong>${s(f.code)}</strong> (${s(f.severity)}, step: ${s(f.step)}): ` +
            `${s(f.message)}<br>Fix: ${s(f.fix)}</li>`,
        )
        .join('')}</ul>`
    : '<p>No problem found.</p>';
  const timeline = `<ol>${d.exchanges
    .map(
      (e) =>
        `<li><strong>${s(e.step)}</strong> (${s(e.outcome)}, +${e.atMs} ms)` +
        `${e.http ? ` <code>${s(`${e.http.request.method} ${displayUrl(e.http.request.url)}`)}</code>` : ''}<br>` +
        `${s(e.detail)}</li>`,
    )
    .join('')}</ol>`;
  const notes = d.notes.length
    ? `<h2>Skipped or unreadable</h2><ul>${d.notes.map((n) => `<li>${s(n)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}code{overflow-wrap:anywhere}</style>
</head><body><h1>${esc(title)}</h1><p>${s(d.summary)}</p><h2>Findings</h2>${findings}<h2>Timeline</h2>${timeline}${notes}
<p>Secrets (codes, tokens, cookies, passwords) are shown as ••••. Requests read: ${d.totalEntries}.</p></body></html>
`;
}
