/**
 * The one error type that crosses layers. `code` is stable and machine-readable; `message` is written
 * for a person; `field` names the input path that was wrong, when there is one.
 * Electron's ipcMain.handle passes only `message` through a thrown error, so errors never cross the
 * IPC/HTTP edge as exceptions: the edge maps them to `{code, message, field}`.
 */
export class DeskError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly status: number;

  constructor(code: string, message: string, opts: { field?: string; status?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DeskError';
    this.code = code;
    this.field = opts.field;
    this.status = opts.status ?? 400;
  }
}

export const invalidInput = (field: string, message: string): DeskError =>
  new DeskError('invalid_input', `${field}: ${message}`, { field, status: 400 });

export const notFound = (message: string): DeskError => new DeskError('not_found', message, { status: 404 });

export const conflict = (message: string, field?: string): DeskError =>
  new DeskError('conflict', message, { status: 409, ...(field ? { field } : {}) });

/**
 * The refusal of a form with problems: one names its field, several are counted and listed; nothing was saved.
 * `field` is the first problem's, for the screen to focus.
 */
export function fieldsNeedAttention(problems: ReadonlyArray<{ field: string; message: string }>): DeskError {
  const message =
    problems.length === 1
      ? `${problems[0]!.field}: ${problems[0]!.message}`
      : `${problems.length} fields need attention — ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  return new DeskError('invalid_input', `${message}. Nothing was saved.`, { field: problems[0]!.field });
}
