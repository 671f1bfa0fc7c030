export function PendingScreen({ title, what, issue }: { title: string; what: string; issue: string }) {
  return (
    <section aria-labelledby="pending-title" className="panel">
      <h1 id="pending-title">{title}</h1>
      <p className="notice" role="note">
        Not built yet. {what} arrives with issue {issue}.
      </p>
    </section>
  );
}
