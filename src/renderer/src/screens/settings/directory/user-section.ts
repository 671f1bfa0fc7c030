import type { Say } from './parts/useLoaded';

/**
 * What each section of the user page is handed. Actions name the user by the email the page was
 * opened with (`email`), as the engine was asked; headings and labels show the stored one (`shown`).
 */
export interface UserSectionProps {
  email: string;
  shown: string;
  say: Say;
}
