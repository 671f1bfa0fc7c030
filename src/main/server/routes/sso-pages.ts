import type { DeepLinkOutcome, LandingView } from '../../engine/tokens/deep-link';
import { describeStanding } from '@shared/sections';
import { escapeHtml as e } from '../http';

// Small, server-rendered pages: the stand-in for a bot's workspace that a Platform SSO link opens.
const STYLE = `
body{margin:0;font:14px system-ui,sans-serif;color:#1d2330;background:#f6f7f9}
header{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding:10px 16px;background:#fff;border-bottom:1px solid #dde1e8}
header nav{display:flex;gap:10px;flex-wrap:wrap}
header a,main a{color:#2f5bea}
.locked{color:#8a93a5}
main{max-width:760px;margin:24px auto;padding:16px 20px;background:#fff;border:1px solid #dde1e8;border-radius:8px}
dl{display:grid;grid-template-columns:140px 1fr;gap:6px 12px}dt{color:#5b6475}dd{margin:0}
.bad{color:#c0392b}`;

const time = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

function page(title: string, body: string, header = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${e(title)}</title><style>${STYLE}</style></head><body>${header}<main>${body}</main></body></html>`;
}

function header(v: LandingView, current: string | null): string {
  if (v.account.embeddable) return '';
  const links = v.sections
    .map((s) => {
      const href = s.id === 'home' ? v.basePath : `${v.basePath}/${s.id}`;
      if (!s.allowed) return `<span class="locked" title="needs ${e(s.minLevel)}">${e(s.label)}</span>`;
      return `<a href="${e(href)}"${s.id === current ? ' aria-current="page"' : ''}>${e(s.label)}</a>`;
    })
    .join('');
  return `<header><strong>${e(v.account.name)} › ${e(v.bot.name)}</strong><nav aria-label="Sections">${links}</nav>
<span>Signed in as ${e(v.user.name)}</span><a href="${e(v.basePath)}/logout">Sign out</a></header>`;
}

function facts(v: LandingView, section: string, extra = ''): string {
  return `<dl aria-label="Session">
<dt>Signed in as</dt><dd id="user">${e(v.user.name)} (${e(v.user.email)})</dd>
<dt>Bot</dt><dd id="bot">${e(v.bot.name)} · ${e(v.account.name)}</dd>
<dt>Section</dt><dd id="section">${e(section)}</dd>
<dt>Standing</dt><dd>${e(describeStanding(v.standing))}</dd>
<dt>Link expires</dt><dd>${e(time(v.expiresAt))}</dd>${extra}</dl>`;
}

/** The HTML for a deep-link outcome: landing, refusal, or signed out. */
export function renderDeepLink(o: DeepLinkOutcome): { status: number; html: string } {
  switch (o.kind) {
    case 'refused': {
      const title = {
        unknown: 'Unknown sign-in link',
        expired: 'Sign-in link expired',
        revoked: 'Sign-in link revoked',
        wrong_scope: 'Not a sign-in link',
      }[o.reason];
      const when = o.at !== null ? `<p>${o.reason === 'expired' ? 'Expired' : 'Revoked'} at ${e(time(o.at))}.</p>` : '';
      return { status: o.status, html: page(title, `<h1>${e(title)}</h1><p class="bad">${e(o.message)}</p>${when}`) };
    }
    case 'no_section':
    case 'not_on_team': {
      const title = o.kind === 'no_section' ? 'No such section' : 'Not on the team';
      return { status: o.status, html: page(title, `<h1>${e(title)}</h1><p class="bad">${e(o.message)}</p>`) };
    }
    case 'forbidden': {
      const title = `${o.section.label}: level ${o.section.minLevel} needed`;
      const body = `<h1>${e(title)}</h1><p class="bad" id="reason">${e(o.message)}</p>${facts(o.view, o.section.label)}
<p><a href="${e(o.view.basePath)}">Back to the workspace</a></p>`;
      return { status: o.status, html: page(`${title} — ${o.view.bot.name}`, body, header(o.view, o.section.id)) };
    }
    case 'landed': {
      const v = o.view;
      const session = `<dt>Session</dt><dd>${o.session.resumed ? 'resumed' : 'new'}, started ${e(time(o.session.startedAt))}</dd>`;
      const body = `<h1>${e(o.section.id === 'home' ? `${v.bot.name} workspace` : o.section.label)}</h1>
<p>${e(o.section.label)}: ${e(o.section.what)}.</p>${facts(v, o.section.label, session)}
${v.account.embeddable ? `<p><a href="${e(v.basePath)}/logout">Sign out</a></p>` : ''}`;
      return { status: 200, html: page(`${v.bot.name} · ${o.section.label}`, body, header(v, o.section.id)) };
    }
    case 'logged_out': {
      const v = o.view;
      const body = `<h1>Signed out</h1><p>${e(v.user.name)} (${e(v.user.email)}) is signed out of ${e(v.bot.name)}.
This link no longer works; ask ${e(v.account.name)} for a new one.</p>`;
      return { status: 200, html: page('Signed out', body) };
    }
  }
}
