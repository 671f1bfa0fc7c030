/**
 * Whether `next` is another token than `prev` rather than an edit of it. Two tokens of one issuer share
 * their start (the same header, often the same first claims), so the start alone cannot tell; an edit
 * (a typed or deleted character, a cut-off tail, a changed header or claim) keeps most of the text at
 * both ends, while another token keeps at most a common start. So: what the two share at the start
 * and at the end, against the shorter of them.
 */
export function isNewToken(prev: string, next: string): boolean {
  const a = prev.trim();
  const b = next.trim();
  if (!a || !b) return a !== b && b === '';
  const shorter = Math.min(a.length, b.length);
  let start = 0;
  while (start < shorter && a[start] === b[start]) start++;
  let end = 0;
  while (end < shorter - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return start + end < shorter / 2;
}
