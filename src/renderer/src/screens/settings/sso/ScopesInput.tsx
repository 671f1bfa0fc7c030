import { useEffect, useState } from 'react';
import { parseScopes } from '@shared/oidc-config';
import { FieldNote } from './FieldNote';

/** Scopes as typed (spaces and commas) ↔ the list the contract holds; the text survives while typing. */
export function ScopesInput({
  value,
  onChange,
  problem,
}: {
  value: readonly string[];
  onChange: (s: string[]) => void;
  problem: string | undefined;
}) {
  const [text, setText] = useState(value.join(' '));
  useEffect(() => {
    if (parseScopes(text).join(' ') !== value.join(' ')) setText(value.join(' '));
    // Only an outside change (discard, load) rewrites the text.
  }, [value.join(' ')]);
  return (
    <>
      <label htmlFor="sso-scopes">Scopes</label>
      <input
        id="sso-scopes"
        size={40}
        value={text}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseScopes(e.target.value));
        }}
      />
      <FieldNote label="Scopes" hint="Separated by spaces; openid is required" problem={problem} />
    </>
  );
}
