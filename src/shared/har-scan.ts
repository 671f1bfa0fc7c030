/**
 * Reads an HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/) a piece at a time
 * and keeps only the entries a sign-in diagnosis needs. Pure TypeScript (no Node, no DOM): the console
 * feeds it a dropped file in chunks, the `--diagnose` command feeds it a file stream, and the engine
 * feeds it pasted text whole. Memory stays bounded by the entries kept, never by the file: each entry is
 * cut out of the stream, parsed, trimmed and dropped before the next one is read.
 */

/** One request/response pair, with only the fields the diagnosis reads. Bodies are text, capped. */
export interface HarEntryLite {
  /** Position in the file's `log.entries` (0-based). */
  index: number;
  /** `startedDateTime` as epoch ms, or null when it is missing or unreadable. */
  startedMs: number | null;
  method: string;
  url: string;
  requestHeaders: Array<[string, string]>;
  requestBody: string | null;
  /** 0 when the browser got no answer (blocked, cancelled). */
  status: number;
  statusText: string;
  responseHeaders: Array<[string, string]>;
  responseBody: string | null;
  redirectURL: string;
}

export interface HarScanResult {
  /** What the text was, as far as the scanner could tell. */
  kind: 'har' | 'not_json' | 'not_har' | 'empty';
  entries: HarEntryLite[];
  /** Entries seen in the file, kept or not. */
  total: number;
  /** What was left out or could not be read, in words; empty when nothing was. */
  notes: string[];
  /** The creator named in `log.creator` (Chrome, Firefox, WebInspector…), when read. */
  creator: string | null;
}

/** A response body longer than this is cut: sign-in pages and token answers are far smaller. */
export const MAX_BODY_CHARS = 256 * 1024;
/** Kept entries; a capture with more sign-in traffic than this is not one sign-in. */
export const MAX_KEPT_ENTRIES = 5000;
/** A single entry longer than this is skipped unread (a video, a core dump pasted as a body). */
const MAX_ENTRY_CHARS = 64 * 1024 * 1024;

const SIGN_IN_PARAMS = new RegExp(
  `[?&#](${[
    ...['code', 'state', 'error', 'error_description', 'id_token', 'access_token'], // OAuth answers
    ...['SAMLRequest', 'SAMLResponse', 'RelayState'], // SAML
    ...['client_id', 'redirect_uri', 'response_type', 'nonce', 'code_challenge', 'id_token_hint'], // OAuth requests
  ].join('|')})=`,
);
const SIGN_IN_PATH =
  /authorize|\/auth(\/|$|\?)|oauth|openid|\/token(\/|$|\?)|userinfo|callback|saml|\/sso|jwks|\.well-known|login|signin|sign-in|logout/i;
const SIGN_IN_BODY = /SAMLRequest=|SAMLResponse=|grant_type=|(^|&)code=|client_assertion=/;

const TEXTUAL = /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|x-www-form-urlencoded|javascript))/i;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function headersOf(v: unknown): Array<[string, string]> {
  if (!Array.isArray(v)) return [];
  const out: Array<[string, string]> = [];
  for (const h of v) {
    const o = obj(h);
    if (typeof o.name === 'string') out.push([o.name, str(o.value)]);
  }
  return out;
}

/** base64 text to UTF-8 without Node's Buffer (the console has none); null when it is not text. */
function fromBase64(text: string): string | null {
  try {
    const bin = atob(text.replace(/\s+/g, ''));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

interface Tally {
  base64Read: number;
  binarySkipped: number;
  cut: number;
}

function bodyOf(content: Record<string, unknown>, tally: Tally): string | null {
  if (typeof content.text !== 'string') return null;
  let text = content.text;
  const mime = str(content.mimeType);
  if (str(content.encoding).toLowerCase() === 'base64') {
    const decoded = mime === '' || TEXTUAL.test(mime) ? fromBase64(text) : null;
    if (decoded === null) {
      tally.binarySkipped++;
      return null;
    }
    tally.base64Read++;
    text = decoded;
  } else if (mime !== '' && !TEXTUAL.test(mime) && !/^(text|application)\//i.test(mime)) {
    // Images, fonts, media: nothing of a sign-in travels in them.
    tally.binarySkipped++;
    return null;
  }
  if (text.length > MAX_BODY_CHARS) {
    tally.cut++;
    return text.slice(0, MAX_BODY_CHARS);
  }
  return text;
}

/** Whether an entry can take part in a sign-in: its URL, body, status or redirect says so. */
export function isSignInEntry(e: Pick<HarEntryLite, 'url' | 'requestBody' | 'status'>): boolean {
  if (SIGN_IN_PARAMS.test(e.url) || SIGN_IN_PATH.test(e.url.replace(/[?#].*$/, ''))) return true;
  if (e.requestBody && SIGN_IN_BODY.test(e.requestBody)) return true;
  return e.status >= 300;
}

/** One parsed HAR entry as the diagnosis reads it; null when it has no request URL at all. */
export function liteEntry(raw: unknown, index: number, tally: Tally): HarEntryLite | null {
  const e = obj(raw);
  const req = obj(e.request);
  const res = obj(e.response);
  const url = str(req.url);
  if (!url) return null;
  const started = Date.parse(str(e.startedDateTime));
  const post = obj(req.postData);
  let requestBody: string | null = typeof post.text === 'string' ? post.text : null;
  if (requestBody === null && Array.isArray(post.params)) {
    // Firefox and Safari sometimes give form posts only as params.
    const p = new URLSearchParams();
    for (const x of post.params) p.append(str(obj(x).name), str(obj(x).value));
    requestBody = p.toString() || null;
  }
  if (requestBody !== null && requestBody.length > MAX_BODY_CHARS) {
    requestBody = requestBody.slice(0, MAX_BODY_CHARS);
    tally.cut++;
  }
  return {
    // A compact HAR from the console carries each entry's place in the original file.
    index: typeof e._index === 'number' ? e._index : index,
    startedMs: Number.isFinite(started) ? started : null,
    method: str(req.method) || 'GET',
    url,
    requestHeaders: headersOf(req.headers),
    requestBody,
    status: typeof res.status === 'number' && Number.isFinite(res.status) ? res.status : 0,
    statusText: str(res.statusText),
    responseHeaders: headersOf(res.headers),
    responseBody: bodyOf(obj(res.content), tally),
    redirectURL: str(res.redirectURL),
  };
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const COLON = 58;

/**
 * The incremental reader. `push` each piece of text in order, then `finish`. It tracks JSON structure
 * (strings, nesting) just enough to find `log.entries` and cut each entry out; only entries are parsed.
 */
export class HarScanner {
  private depth = 0;
  private inString = false;
  /** The string being read when it matters (keys and short values above the entries). */
  private stringStart = -1;
  private stringParts: string[] = [];
  private lastString = '';
  private readonly keys: string[] = [];
  private started = false;
  private inEntries = false;
  private entryParts: string[] = [];
  private entryChars = 0;
  private entryOversize = false;
  private entryStart = -1;
  private sawEntries = false;
  private creatorNext = false;
  private readonly tally: Tally = { base64Read: 0, binarySkipped: 0, cut: 0 };
  private unreadable = 0;
  private noUrl = 0;
  private overflow = 0;
  private notJson = false;
  private readonly result: HarScanResult = { kind: 'har', entries: [], total: 0, notes: [], creator: null };
  /** Characters pushed so far (for progress). */
  chars = 0;

  push(chunk: string): void {
    if (this.notJson || chunk.length === 0) return;
    this.chars += chunk.length;
    let i = 0;
    const n = chunk.length;
    if (!this.started) {
      while (i < n && /\s/.test(chunk[i]!)) i++;
      if (i === n) return;
      // A byte-order mark, then the object.
      if (chunk.charCodeAt(i) === 0xfeff) i++;
      if (chunk.charCodeAt(i) !== OPEN_OBJ) {
        this.notJson = true;
        return;
      }
      this.started = true;
    }
    while (i < n) {
      if (this.inString) {
        // Jump to the next quote; a quote preceded by an odd run of backslashes is escaped.
        let q = chunk.indexOf('"', i);
        while (q !== -1 && this.escaped(chunk, q)) q = chunk.indexOf('"', q + 1);
        if (q === -1) {
          if (this.stringStart !== -1) this.stringParts.push(chunk.slice(this.stringStart));
          this.stringStart = this.stringStart !== -1 ? 0 : -1;
          // Backslashes at the end escape the next chunk's first character; a chunk of only backslashes adds to the run.
          const trailing = this.trailingBackslashes(chunk);
          this.carry = trailing === n ? this.carry + trailing : trailing;
          i = n;
          break;
        }
        this.carry = 0;
        if (this.stringStart !== -1) {
          this.stringParts.push(chunk.slice(this.stringStart, q));
          this.lastString = this.stringParts.join('');
          this.stringParts = [];
          this.stringStart = -1;
          if (this.creatorNext && this.keys[2] === 'creator' && this.keys[3] === 'name') {
            this.result.creator = this.lastString.slice(0, 100);
            this.creatorNext = false;
          }
        }
        this.inString = false;
        i = q + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === QUOTE) {
        this.inString = true;
        this.carry = 0;
        // Strings are kept only above the entries (keys like "log", "entries", the creator's name).
        this.stringStart = !this.inEntries && this.depth <= 3 ? i + 1 : -1;
        this.stringParts = [];
      } else if (c === COLON) {
        if (!this.inEntries && this.depth <= 3) {
          this.keys[this.depth] = this.lastString;
          this.creatorNext = this.depth === 3;
        }
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        this.depth++;
        if (
          c === OPEN_ARR &&
          this.depth === 3 &&
          this.keys[1] === 'log' &&
          this.keys[2] === 'entries' &&
          !this.inEntries
        ) {
          this.inEntries = true;
          this.sawEntries = true;
        } else if (this.inEntries && this.depth === 4 && c === OPEN_OBJ) {
          this.entryStart = i;
          this.entryParts = [];
          this.entryChars = 0;
          this.entryOversize = false;
        }
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (this.inEntries && this.depth === 4 && c === CLOSE_OBJ && this.entryStart !== -1) {
          this.takeEntry(chunk.slice(this.entryStart, i + 1));
          this.entryStart = -1;
        }
        this.depth--;
        if (this.inEntries && this.depth === 2) this.inEntries = false;
        if (this.depth < 0) this.depth = 0;
      }
      i++;
    }
    if (this.entryStart !== -1) {
      this.keepPart(chunk.slice(this.entryStart));
      this.entryStart = 0;
    }
    if (this.stringStart > 0) this.stringStart = 0;
  }

  /** Backslashes at the end of the previous chunk, still escaping this chunk's first character. */
  private carry = 0;

  private trailingBackslashes(chunk: string): number {
    let k = 0;
    for (let j = chunk.length - 1; j >= 0 && chunk.charCodeAt(j) === BACKSLASH; j--) k++;
    return k;
  }

  private escaped(chunk: string, q: number): boolean {
    let k = 0;
    for (let j = q - 1; j >= 0 && chunk.charCodeAt(j) === BACKSLASH; j--) k++;
    if (k === q) k += this.carry;
    return k % 2 === 1;
  }

  private keepPart(part: string): void {
    if (this.entryOversize) return;
    this.entryChars += part.length;
    if (this.entryChars > MAX_ENTRY_CHARS) {
      this.entryOversize = true;
      this.entryParts = [];
      return;
    }
    this.entryParts.push(part);
  }

  private takeEntry(lastPart: string): void {
    const index = this.result.total++;
    this.keepPart(lastPart);
    if (this.entryOversize) {
      this.unreadable++;
      this.entryParts = [];
      return;
    }
    const text = this.entryParts.length === 1 ? this.entryParts[0]! : this.entryParts.join('');
    this.entryParts = [];
    // Cheap test before parsing: an entry that names nothing of a sign-in and got a 2xx is skipped.
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.unreadable++;
      return;
    }
    const lite = liteEntry(raw, index, this.tally);
    if (!lite) {
      this.noUrl++;
      return;
    }
    if (!isSignInEntry(lite)) return;
    if (this.result.entries.length >= MAX_KEPT_ENTRIES) {
      this.overflow++;
      return;
    }
    this.result.entries.push(lite);
  }

  finish(): HarScanResult {
    const r = this.result;
    if (this.notJson) return { ...r, kind: 'not_json', notes: ['The text is not JSON, so it is not a HAR file.'] };
    if (!this.started) return { ...r, kind: 'empty', notes: ['The text is empty.'] };
    if (!this.sawEntries)
      return {
        ...r,
        kind: 'not_har',
        notes: [
          this.depth > 0
            ? 'The file ends before any log.entries were read: it is cut off, or it is not a HAR file.'
            : 'The text is JSON but not a HAR file: it has no log.entries list.',
        ],
      };
    const notes: string[] = [];
    if (this.depth > 0 || this.inString)
      notes.push(
        `The file is cut off (truncated): ${r.total} entries were read before it ended; whatever followed is missing.`,
      );
    if (this.unreadable) notes.push(`${this.unreadable} entries could not be read (not valid JSON) and were skipped.`);
    if (this.noUrl) notes.push(`${this.noUrl} entries have no request URL and were skipped.`);
    if (this.tally.base64Read) notes.push(`${this.tally.base64Read} base64-encoded bodies were decoded as text.`);
    if (this.tally.binarySkipped)
      notes.push(`${this.tally.binarySkipped} binary bodies (images, fonts, other media) were not read.`);
    if (this.tally.cut)
      notes.push(`${this.tally.cut} bodies longer than ${MAX_BODY_CHARS / 1024} KiB were read up to that length.`);
    if (this.overflow)
      notes.push(
        `Only the first ${MAX_KEPT_ENTRIES} sign-in entries were diagnosed; ${this.overflow} more were skipped.`,
      );
    return { ...r, notes };
  }
}

/** The scanner over a whole text at once (pasted text, a compact HAR from the console). */
export function scanHarText(text: string): HarScanResult {
  const s = new HarScanner();
  s.push(text);
  return s.finish();
}

/** The kept entries as a small HAR again: what the console sends to the engine after reading a big file. */
export function compactHar(result: HarScanResult): string {
  const toHeaders = (h: Array<[string, string]>) => h.map(([name, value]) => ({ name, value }));
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: result.creator ?? 'unknown', version: '' },
      entries: result.entries.map((e) => ({
        startedDateTime: e.startedMs === null ? '' : new Date(e.startedMs).toISOString(),
        _index: e.index,
        request: {
          method: e.method,
          url: e.url,
          headers: toHeaders(e.requestHeaders),
          ...(e.requestBody !== null ? { postData: { mimeType: '', text: e.requestBody } } : {}),
        },
        response: {
          status: e.status,
          statusText: e.statusText,
          headers: toHeaders(e.responseHeaders),
          content: e.responseBody !== null ? { mimeType: '', text: e.responseBody } : {},
          redirectURL: e.redirectURL,
        },
      })),
    },
  });
}
