const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/**
 * What an Authentication URL does that puts passwords at risk: plain `http://` to a host that is not
 * this machine (anyone on the path reads them), `{{USERPASSWORD}}` in the query string (it lands in
 * server and proxy logs). Each needs the admin's explicit confirmation to save.
 */
export function insecureUrlProblems(url: string): string[] {
  const out: string[] = [];
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{\{[A-Z]+\}\}/g, 'x'));
  } catch {
    return out;
  }
  if (parsed.protocol === 'http:' && !LOOPBACK_HOST.test(parsed.hostname))
    out.push(`sends passwords over plain http:// to ${parsed.hostname}`);
  const q = url.indexOf('?');
  if (q >= 0 && url.slice(q).split('#')[0]!.includes('{{USERPASSWORD}}'))
    out.push('puts {{USERPASSWORD}} in the query string, where server and proxy logs keep it');
  return out;
}
