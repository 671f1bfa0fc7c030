import { buildClient, type Client } from '@shared/contract';
import type { Result } from '@shared/result';

declare global {
  interface Window {
    api?: Client;
  }
}

const KEY_HEADER = 'x-sso-desk-key';
const KEY_STORAGE = 'sso-desk-key';

/** The browser host's key: from the URL fragment on first load, then from this tab's session storage. */
function consoleKey(): string | null {
  const match = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(KEY_STORAGE, match[1]);
    // Keep the key out of the address bar, history and screenshots.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(KEY_STORAGE);
}

function httpClient(): Client {
  const key = consoleKey();
  return buildClient(async (name, input): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`/api/ipc/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [KEY_HEADER]: key ?? '' },
        body: input === undefined ? '' : JSON.stringify(input),
      });
      const body = (await res.json()) as Result<unknown> | { error: { code: string; message: string } };
      if ('ok' in body) return body;
      return { ok: false, error: body.error };
    } catch (e) {
      return {
        ok: false,
        error: { code: 'unreachable', message: `SSO Desk is not answering: ${(e as Error).message}` },
      };
    }
  });
}

/** One typed client; the screens never know whether it rides on IPC or HTTP. */
export const api: Client = window.api ?? httpClient();
export const transport: 'ipc' | 'http' = window.api ? 'ipc' : 'http';
