import { createReadStream } from 'node:fs';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import type { Readable } from 'node:stream';
import { DEFAULT_HIGH_WATER_MARK } from './csv-reader.ts';
import type { LobsterReadOptions } from './lobster-parse.ts';

/**
 * Opens a LOBSTER file as a byte stream (gunzipped when `.gz` or `gzip`), chunks of
 * `highWaterMark` bytes (default 1 MiB). Gunzip works on libuv's thread pool but only inflates
 * while its output buffer has room: `ahead` bytes (default: the stream default, one chunk) let it
 * run further ahead of a consumer that reads with `read()` (which then returns several chunks at
 * once); a consumer in flowing mode (`'data'` events) needs none.
 */
export function openLobsterStream(path: string, options: LobsterReadOptions = {}, ahead = 0): Readable {
  const chunk = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const raw = createReadStream(path, { highWaterMark: chunk });
  if (!(options.gzip ?? path.endsWith('.gz'))) return raw;
  const zopts: ZlibOptions & { readableHighWaterMark?: number } = { chunkSize: Math.max(16 * 1024, chunk) };
  if (ahead > 0) zopts.readableHighWaterMark = ahead; // (zlib streams take the stream options too)
  const gunzip = createGunzip(zopts);
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  return gunzip;
}
