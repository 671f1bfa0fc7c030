import { compactHar, HarScanner } from '@shared/har-scan';
import { MAX_DIAGNOSE_CHARS } from '@shared/contract/diagnose';

/** Files up to this size go to the engine as they are (they may be a pasted URL or token saved to a file). */
const SMALL = 2 * 1024 * 1024;

export interface ReadFile {
  text: string;
  notes: string[];
  totalEntries?: number;
}

export class Cancelled extends Error {}

/**
 * Reads a dropped or opened file for Inspector › Diagnose. A big HAR is streamed a chunk at a time
 * through the HAR scanner, so the console never holds the whole file as text: only its sign-in
 * entries are kept and sent to the engine. `onProgress` gets bytes read; `signal` cancels.
 */
export async function readHarFile(
  file: File,
  onProgress: (read: number, total: number) => void,
  signal: AbortSignal,
): Promise<ReadFile> {
  if (file.size <= SMALL) {
    const text = await file.text();
    onProgress(file.size, file.size);
    return { text, notes: [] };
  }
  const scanner = new HarScanner();
  const decoder = new TextDecoder('utf-8');
  const reader = file.stream().getReader();
  let read = 0;
  try {
    for (;;) {
      if (signal.aborted) throw new Cancelled('cancelled');
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      scanner.push(decoder.decode(value, { stream: true }));
      onProgress(read, file.size);
    }
    scanner.push(decoder.decode());
  } finally {
    if (signal.aborted) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const scan = scanner.finish();
  if (scan.kind !== 'har') return { text: '{}', notes: scan.notes };
  let text = compactHar(scan);
  const notes = [...scan.notes];
  while (text.length > MAX_DIAGNOSE_CHARS && scan.entries.length > 1) {
    const keep = Math.floor(scan.entries.length / 2);
    notes.push(
      `Only the first ${keep} of ${scan.entries.length} sign-in entries were diagnosed (the rest is too big).`,
    );
    scan.entries.length = keep;
    text = compactHar(scan);
  }
  return { text, notes, totalEntries: scan.total };
}
