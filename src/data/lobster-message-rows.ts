import type { LobsterMessageBlock } from './lobster-parse.ts';

/**
 * The hot loop of the LOBSTER message parser: whole lines of bytes into the columns of a message
 * block. It takes only the usual rows it can check completely (types 1-6, positive prices and
 * sizes that fit an int32, time not going back) and stops at the first other line, which the
 * caller (`LobsterMessageParser`) parses with its full rules (type 7, unusual but valid fields) or
 * explains with a `DataError` naming file, line and field.
 */

/**
 * Parses message rows from `buf[start, end)`, where `end` is just after a newline, into `b` from
 * row `row0`, at most `maxRows`. `lastTime[0]` is the time (microseconds) of the row before and is
 * updated. Returns the rows taken and writes in `stop[0]` the position after them (`end` when
 * every line was taken, else the start of the first line not taken).
 *
 * A row is taken when it reads `S[.F],T,I,Q,P,D` (optionally ending with CR) with S 1-9 digits,
 * F 1-12 digits (microseconds rounded half up on the 7th decimal, as `timeAt`), T one digit 1-6,
 * I 1-15 digits (not 0 for types 1-4), Q and P 1-10 digits in 1..2^31-1, D `1` or `-1`, and its
 * time is not before the previous row's.
 */
export function parseMessageRows(buf: Uint8Array, start: number, end: number, b: LobsterMessageBlock, row0: number, maxRows: number, stop: Int32Array, lastTime: Float64Array): number {
  const timeUs = b.timeUs;
  const types = b.type;
  const ids = b.orderId;
  const sizes = b.size;
  const prices = b.price;
  const dirs = b.direction;
  let last = lastTime[0]!;
  let p = start;
  let r = 0;
  let taken = start;
  while (p < end && r < maxRows) {
    // time: seconds, then up to 12 decimals
    let c = buf[p]! - 48;
    if (c >>> 0 > 9) break;
    let sec = c;
    const s0 = p++;
    while ((c = buf[p]! - 48) >>> 0 <= 9) {
      sec = sec * 10 + c;
      p++;
    }
    if (p - s0 > 9) break;
    let us = 0;
    if (buf[p] === 46) {
      const f = ++p;
      let round = 0;
      while ((c = buf[p]! - 48) >>> 0 <= 9) {
        const k = p - f;
        if (k < 6) us = us * 10 + c;
        else if (k === 6) round = c >= 5 ? 1 : 0;
        p++;
      }
      const k = p - f;
      if (k === 0 || k > 12) break;
      for (let z = k; z < 6; z++) us *= 10;
      us += round;
    }
    const t = sec * 1_000_000 + us;
    if (buf[p] !== 44 || t < last) break;
    // type: one digit, 1..6
    const type = buf[p + 1]! - 48;
    if (type < 1 || type > 6 || buf[p + 2] !== 44) break;
    p += 3;
    // order id
    let id = buf[p]! - 48;
    if (id >>> 0 > 9) break;
    const s1 = p++;
    while ((c = buf[p]! - 48) >>> 0 <= 9) {
      id = id * 10 + c;
      p++;
    }
    if (p - s1 > 15 || buf[p] !== 44 || (id === 0 && type <= 4)) break;
    p++;
    // size
    let size = buf[p]! - 48;
    if (size >>> 0 > 9) break;
    const s2 = p++;
    while ((c = buf[p]! - 48) >>> 0 <= 9) {
      size = size * 10 + c;
      p++;
    }
    if (p - s2 > 10 || buf[p] !== 44 || !(size > 0 && size <= 2147483647)) break;
    p++;
    // price
    let price = buf[p]! - 48;
    if (price >>> 0 > 9) break;
    const s3 = p++;
    while ((c = buf[p]! - 48) >>> 0 <= 9) {
      price = price * 10 + c;
      p++;
    }
    if (p - s3 > 10 || buf[p] !== 44 || !(price > 0 && price <= 2147483647)) break;
    p++;
    // direction
    let dir = 1;
    if (buf[p] === 49) p++;
    else if (buf[p] === 45 && buf[p + 1] === 49) {
      dir = -1;
      p += 2;
    } else break;
    if (buf[p] === 13) p++;
    if (buf[p] !== 10) break;
    p++;
    const i = row0 + r;
    timeUs[i] = t;
    types[i] = type;
    ids[i] = id;
    sizes[i] = size;
    prices[i] = price;
    dirs[i] = dir;
    last = t;
    r++;
    taken = p;
  }
  stop[0] = taken;
  lastTime[0] = last;
  return r;
}
