/** The app's mark (the same drawing as resources/icon.svg): a key in a shield. Decorative. */
export function AppIcon({ size = 22 }: { size?: number }) {
  return (
    <svg className="brand-icon" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <path d="M32 4 8 13v17c0 15 10 26 24 30 14-4 24-15 24-30V13L32 4z" fill="#2747c7" />
      <circle cx="32" cy="26" r="9" fill="none" stroke="#fff" strokeWidth="5" />
      <path d="M32 35v16M32 43h7M32 49h5" stroke="#fff" strokeWidth="5" strokeLinecap="round" fill="none" />
    </svg>
  );
}
