import { DataError } from '../../core/errors.ts';
import { readTextChunks } from '../csv-reader.ts';
import { parseEpochAt } from '../csv-fields.ts';

/**
 * The cryptofeed recording format (bmoscon/cryptofeed `sample_data`), read line by line, streaming.
 * A session `X` is three text files:
 *
 * - `X.0`: line 1 `https://.../exchangeInfo -> <recv unix s>: <JSON body>`; line 2 `configuration: {...}`.
 * - `X.http.0.0`: one REST response per line, `<url> -> <recv unix s>: <JSON body>` (depth snapshots).
 * - `X.ws.1.0`: line 1 `<wss url> <-> <connect unix s>`; then one frame per line, `<recv unix s>: <raw frame>`.
 *
 * Receive times are seconds with a fraction, read exactly into integer microseconds. Line numbers
 * are 1-based physical lines; "frame N" means line N of the file.
 */

/** One line of a text file. */
export interface TextLine {
  /** 1-based line number. */
  line: number;
  text: string;
}

/** Yields the non-empty lines of a file (plain or `.gz`) with their 1-based numbers, one chunk in memory at a time. */
export async function* readLines(path: string): AsyncGenerator<TextLine> {
  let line = 0;
  for await (const chunk of readTextChunks(path)) {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      let nl = chunk.indexOf('\n', pos);
      if (nl < 0) nl = len;
      let end = nl;
      if (end > pos && chunk.charCodeAt(end - 1) === 13) end--;
      line++;
      if (end > pos) yield { line, text: chunk.slice(pos, end) };
      pos = nl + 1;
    }
  }
}

/** A recorded REST response: `<url> -> <recv>: <body>`. */
export interface HttpRecord {
  url: string;
  /** Receive time, microseconds. */
  recvTime: number;
  body: string;
  line: number;
}

/** A recorded websocket frame: `<recv>: <frame>`. */
export interface WsRecord {
  recvTime: number;
  body: string;
  line: number;
}

/** Parses `<url> -> <recv>: <body>`; throws a `DataError` naming the line when malformed. */
export function parseHttpLine(text: string, file: string, line: number): HttpRecord {
  const arrow = text.indexOf(' -> ');
  const colon = arrow < 0 ? -1 : text.indexOf(': ', arrow + 4);
  if (arrow < 0 || colon < 0) throw new DataError(file, line, undefined, `expected '<url> -> <receive time>: <body>', got '${text.slice(0, 80)}'`);
  const recvTime = parseEpochAt(text, arrow + 4, colon, 0);
  if (!Number.isFinite(recvTime)) throw new DataError(file, line, 'receive time', `'${text.slice(arrow + 4, colon)}' is not a unix time in seconds`);
  return { url: text.slice(0, arrow), recvTime, body: text.slice(colon + 2), line };
}

/** Parses `<recv>: <frame>`; throws a `DataError` naming the frame when malformed. */
export function parseWsLine(text: string, file: string, line: number): WsRecord {
  const colon = text.indexOf(': ');
  if (colon < 0) throw new DataError(file, line, undefined, `expected '<receive time>: <frame>', got '${text.slice(0, 80)}'`);
  const recvTime = parseEpochAt(text, 0, colon, 0);
  if (!Number.isFinite(recvTime)) throw new DataError(file, line, 'receive time', `'${text.slice(0, colon)}' is not a unix time in seconds`);
  return { recvTime, body: text.slice(colon + 2), line };
}

/** Parses the first line of a ws recording: `<wss url> <-> <connect time>`. */
export function parseWsHeader(text: string, file: string): { url: string; connectTime: number } {
  const sep = text.indexOf(' <-> ');
  if (sep < 0) throw new DataError(file, 1, undefined, `expected '<wss url> <-> <connect time>', got '${text.slice(0, 80)}'`);
  const connectTime = parseEpochAt(text, sep + 5, text.length, 0);
  if (!Number.isFinite(connectTime)) throw new DataError(file, 1, 'connect time', `'${text.slice(sep + 5)}' is not a unix time in seconds`);
  return { url: text.slice(0, sep), connectTime };
}

/** What `X.0` holds: the exchangeInfo document and cryptofeed's subscription. */
export interface RecordingInfo {
  url: string;
  recvTime: number;
  /** The parsed exchangeInfo JSON body. */
  exchangeInfo: unknown;
  /** The parsed `configuration:` object, or undefined when the line is absent. */
  configuration: Record<string, string[]> | undefined;
}

/** Reads `X.0` (line 1 exchangeInfo, line 2 `configuration: {...}`). */
export async function readRecordingInfo(path: string): Promise<RecordingInfo> {
  let info: RecordingInfo | undefined;
  for await (const { line, text } of readLines(path)) {
    if (line === 1) {
      const rec = parseHttpLine(text, path, line);
      let doc: unknown;
      try {
        doc = JSON.parse(rec.body);
      } catch (err) {
        throw new DataError(path, line, undefined, `exchangeInfo body does not parse as JSON (${(err as Error).message})`);
      }
      info = { url: rec.url, recvTime: rec.recvTime, exchangeInfo: doc, configuration: undefined };
    } else if (info && text.startsWith('configuration: ')) {
      try {
        info.configuration = JSON.parse(text.slice('configuration: '.length)) as Record<string, string[]>;
      } catch (err) {
        throw new DataError(path, line, 'configuration', `does not parse as JSON (${(err as Error).message})`);
      }
    }
  }
  if (!info) throw new DataError(path, 1, undefined, 'empty recording info file (expected the exchangeInfo line)');
  return info;
}

/** The symbol of a depth snapshot URL (`...depth?symbol=NKNUSDT&limit=1000` -> `NKNUSDT`), or undefined. */
export function symbolOfUrl(url: string): string | undefined {
  const m = /[?&]symbol=([^&]+)/.exec(url);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** The three files of a recording session `prefix` (`.../BINANCE` -> `BINANCE.0`, `BINANCE.http.0.0`, `BINANCE.ws.1.0`). */
export function recordingFiles(prefix: string): { info: string; http: string; ws: string } {
  return { info: `${prefix}.0`, http: `${prefix}.http.0.0`, ws: `${prefix}.ws.1.0` };
}
