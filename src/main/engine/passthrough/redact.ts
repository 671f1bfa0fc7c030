import { MASK } from './render';
import { encodeFormValue, encodeJsonString, encodeUrlComponent } from './escape';

/**
 * Removes a secret from free text the engine did not write itself (a response body, a Location header,
 * an error message): every form the secret could take on the wire — as is, JSON-escaped,
 * percent-encoded, form-encoded, XML-escaped, and inside Basic credentials — becomes `••••`.
 */
export function secretScrubber(secret: string, basicUser?: string): (text: string) => string {
  if (secret === '') return (text) => text;
  const forms = new Set<string>([
    secret,
    encodeJsonString(secret),
    encodeUrlComponent(secret),
    encodeFormValue(secret),
  ]);
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be percent-encoded: nothing of that form can have been sent.
  }
  forms.add(secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
  forms.add(
    secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;'),
  );
  if (basicUser !== undefined) forms.add(Buffer.from(`${basicUser}:${secret}`, 'utf8').toString('base64'));
  // Longest first, so that a form containing another is masked whole.
  const ordered = [...forms].filter((f) => f !== '').sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const f of ordered) out = out.split(f).join(MASK);
    return out;
  };
}
