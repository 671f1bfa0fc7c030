/** The answer to an action: a polite status when it worked, an alert when it did not. */
export function Notice({ message }: { message: { ok: boolean; text: string } | null }) {
  if (!message) return null;
  return (
    <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'good' : 'bad'}>
      {message.text}
    </p>
  );
}
