/**
 * What an error page at the IdP usually means, shown while a sign-in waits for the IdP (issue 26 §5):
 * the flow's status carries it, and the admin looking at "Waiting…" is the one who sees that page.
 */
export function IdpWaitingHint({ hint }: { hint: string | null | undefined }) {
  if (!hint) return null;
  return (
    <p className="muted" aria-label="If the IdP shows an error page">
      {hint}
    </p>
  );
}
