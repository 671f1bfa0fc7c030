import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '@shared/errors';
import { HarScanner } from '@shared/har-scan';
import type { Diagnosis } from '@shared/contract/diagnose';
import { diagnose } from '../engine/inspect/diagnose';
import { accountSettings } from '../engine/inspect/diagnose/accounts';
import type { AccountSettings } from '../engine/inspect/diagnose/model';
import { DATABASE_FILE, openStore } from '../store/db';

/** Pasted-text files (a URL, a token) are small; anything bigger is read as a HAR stream. */
const SMALL = 1024 * 1024;

/**
 * `--diagnose FILE [--data-dir D]`: the file streamed through the HAR scanner (bounded memory, as in
 * the console), diagnosed, and compared with the accounts of D when D holds a database. The secrets
 * of the capture are left out of what is printed: a script has no "reveal".
 * @throws DeskError `diagnose_unreadable` when the file cannot be read.
 */
export async function diagnoseFile(file: string, dataDir: string | undefined): Promise<Omit<Diagnosis, 'secrets'>> {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    throw new DeskError(
      'diagnose_unreadable',
      `--diagnose ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const accounts = readAccounts(dataDir);
  const scanner = new HarScanner();
  let head = '';
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
      const text = chunk as string;
      if (size <= SMALL) head += text;
      scanner.push(text);
    }
  } catch (e) {
    throw new DeskError(
      'diagnose_unreadable',
      `--diagnose ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const scan = scanner.finish();
  // A small file that is not a HAR may be a pasted URL, SAML message or token: read it as text.
  const result =
    scan.kind !== 'har' && size <= SMALL && head.trim() !== ''
      ? await diagnose({ text: head }, { accounts })
      : await diagnose(
          { text: '-' },
          { accounts, scanned: { kind: scan.kind, entries: scan.entries, notes: scan.notes, total: scan.total } },
        );
  const { secrets: _secrets, ...printed } = result;
  return printed;
}

function readAccounts(dataDir: string | undefined): AccountSettings[] {
  if (!dataDir || !existsSync(join(dataDir, DATABASE_FILE))) return [];
  const store = openStore(dataDir);
  try {
    return accountSettings(store.db);
  } finally {
    store.close();
  }
}
