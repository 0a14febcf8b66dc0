/**
 * The hot loop of the LOBSTER order-book parser: whole lines of bytes into Int32 rows. It is one
 * self-contained function (no imports, no closures, no module constants) so that the same code runs
 * on the main thread (`LobsterBookParser`) and, shipped as source text, in the parse worker
 * (`lobster-book-worker.ts`). It takes only the rows it can check completely and stops at the first
 * line it cannot take (blank, malformed or invalid), leaving the explanation to the caller's cold
 * path, which names the file, line and field.
 */

/**
 * Parses order-book rows of `nf` (= 4 x levels) integers from `buf[start, end)` into `data`, row
 * `r` of this call at `(row0 + r) * nf`, at most `maxRows` rows. `buf` must hold a newline at or
 * after the last line (the loops stop at non-digits and never read past it). Returns the rows
 * taken and writes in `stop[0]` the byte position after them: `end` when every line was taken,
 * else the start of the first line not taken (a blank or bad line, or `maxRows` reached).
 *
 * A row is taken when every field is a decimal integer that fits the row (a price or size in
 * 1..2^31-1, a size of 0, or the side's empty-slot marker 9999999999 / -9999999999 in a price
 * column, stored as 0), the line ends after field `nf` (optionally with CR), and the row is valid:
 * each side's levels are occupied then empty (price 0 and size 0 together), asks strictly rising,
 * bids strictly falling.
 */
export function parseBookRows(buf: Uint8Array, start: number, end: number, nf: number, data: Int32Array, row0: number, maxRows: number, stop: Int32Array): number {
  // Fields of 1 to 7 digits (every price and size of a usual row) are read four bytes at a time
  // (SWAR): one unaligned 32-bit load, the non-digit bytes found with one add, the digits combined
  // with two multiplies; no branch on each digit, so no misprediction at each field's end. A field
  // it cannot take (a sign, 8 digits or more, fewer than 8 readable bytes left in `buf`) goes to
  // the byte loop below, which has the full rules.
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const wide = buf.byteLength - 8;
  let p = start;
  let r = 0;
  let taken = start;
  rows: while (p < end && r < maxRows) {
    const o = (row0 + r) * nf;
    for (let k = 0; ; ) {
      if (p <= wide) {
        // bytes XOR '0': digits become 0..9; a byte's high bit is then set by the add when it is
        // not a digit (no carry leaves a digit byte, so the lowest flagged byte is the first non-digit)
        let w = view.getUint32(p, true) ^ 0x30303030;
        let m = ((w + 0x76767676) | w) & 0x80808080;
        let d = 4;
        if (m !== 0) d = (31 - Math.clz32(m & -m)) >>> 3;
        if (d > 0) {
          // the d leading digits moved to the top bytes, then pairs and quads combined (written out
          // twice in this loop: as a helper function it measured 3-7% slower on the GOOG file)
          let t = w << ((4 - d) << 3);
          t = (Math.imul(t & 0x0f0f0f0f, 10) + ((t >>> 8) & 0x0f0f0f0f)) & 0x00ff00ff;
          let v = (Math.imul(t, 100) + (t >>> 16)) & 0xffff;
          let q = p + d;
          let ok = true;
          if (d === 4) {
            w = view.getUint32(q, true) ^ 0x30303030;
            m = ((w + 0x76767676) | w) & 0x80808080;
            if (m === 0) ok = false; // 8 digits or more: the byte loop
            else {
              const e = (31 - Math.clz32(m & -m)) >>> 3;
              if (e > 0) {
                t = w << ((4 - e) << 3);
                t = (Math.imul(t & 0x0f0f0f0f, 10) + ((t >>> 8) & 0x0f0f0f0f)) & 0x00ff00ff;
                v = v * (e === 1 ? 10 : e === 2 ? 100 : 1000) + ((Math.imul(t, 100) + (t >>> 16)) & 0xffff);
                q += e;
              }
            }
          }
          if (ok) {
            if (v === 0 && (k & 1) === 0) break rows; // a price of 0: the parser's rules
            data[o + k] = v;
            p = q;
            if (++k === nf) break;
            if (buf[p] !== 44) break rows;
            p++;
            continue;
          }
        }
      }
      let c = buf[p]!;
      const neg = c === 45;
      if (neg) c = buf[++p]!;
      let v = c - 48;
      if (v >>> 0 > 9) break rows;
      const s = p++;
      let big = false;
      for (;;) {
        const d = buf[p]! - 48;
        if (d >>> 0 > 9) break;
        if (p - s === 9) {
          big = true; // a 10th digit: beyond int32 arithmetic (the empty-slot markers)
          break;
        }
        v = (v * 10 + d) | 0;
        p++;
      }
      if (!big && !neg && (v !== 0 || (k & 1) === 1)) data[o + k] = v;
      else {
        // (cold) a marker, a long or signed number, or a price of 0
        let x = v;
        if (big) {
          for (;;) {
            const d = buf[p]! - 48;
            if (d >>> 0 > 9) break;
            x = x * 10 + d;
            p++;
          }
        }
        if (neg) x = -x;
        if (((k & 3) === 0 && x === 9999999999) || ((k & 3) === 2 && x === -9999999999)) data[o + k] = 0;
        else if (x > 0 && x <= 2147483647) data[o + k] = x;
        else break rows;
      }
      if (++k === nf) break;
      if (buf[p] !== 44) break rows;
      p++;
    }
    if (buf[p] === 13) p++;
    if (p < end && buf[p] !== 10) break;
    p++;
    // the row check: occupied slots then empty ones, asks rising, bids falling
    let askEmpty = false;
    let bidEmpty = false;
    let prevAsk = 0;
    let prevBid = 2147483648;
    const e = o + nf;
    for (let i = o; i < e; i += 4) {
      const ap = data[i]!;
      const as = data[i + 1]!;
      if (ap === 0 || as === 0) {
        if (ap !== 0 || as !== 0) break rows;
        askEmpty = true;
      } else if (askEmpty || ap <= prevAsk) break rows;
      else prevAsk = ap;
      const bp = data[i + 2]!;
      const bs = data[i + 3]!;
      if (bp === 0 || bs === 0) {
        if (bp !== 0 || bs !== 0) break rows;
        bidEmpty = true;
      } else if (bidEmpty || bp >= prevBid) break rows;
      else prevBid = bp;
    }
    r++;
    taken = p < end ? p : end;
  }
  stop[0] = taken;
  return r;
}

/** What the fast loop made of one chunk of whole lines. */
export interface BookChunkRows {
  /** Rows taken, at the start of `data`. */
  rows: number;
  /** The rows, `nf` numbers each (the array may be longer). */
  data: Int32Array;
  /** Byte position in the chunk after the rows taken (the chunk's length when every line was taken). */
  stop: number;
}

/**
 * Runs `parseBookRows` over a whole chunk `buf[0, len)` (whole lines, a newline at or after the
 * last one), growing the row array as needed; `spare` is reused when large enough. Self-contained
 * like `parseBookRows` (it only calls it), so the worker runs the same source.
 */
export function parseBookChunk(buf: Uint8Array, len: number, nf: number, spare: Int32Array | null): BookChunkRows {
  const stop = new Int32Array(1);
  let cap = ((len / (nf * 4)) | 0) + 8;
  // (room to spare, so the array can serve the next chunks, which differ a little in length)
  let data = spare !== null && spare.length >= cap * nf ? spare : new Int32Array((cap + (cap >> 3)) * nf);
  cap = (data.length / nf) | 0;
  let rows = 0;
  let p = 0;
  for (;;) {
    rows += parseBookRows(buf, p, len, nf, data, rows, cap - rows, stop);
    p = stop[0]!;
    if (p >= len || rows < cap) break;
    const grown = new Int32Array(cap * 2 * nf);
    grown.set(data);
    data = grown;
    cap *= 2;
  }
  return { rows, data, stop: p };
}

/** What `wholeLines` made of a piece of a stream. */
export interface WholeLines {
  /** The whole lines, from `alloc` (null when the piece held no newline). */
  bytes: Uint8Array | null;
  /** Bytes used in `bytes`. */
  len: number;
  /** The partial line after the last newline, to carry into the next piece (null when none). */
  carry: Uint8Array | null;
}

/**
 * Cuts a piece of a stream after its last newline: the line carried from the pieces before, then
 * the piece up to its last newline, copied into a buffer of at least that many bytes from `alloc`;
 * what follows is the new carry (a copy). Self-contained like `parseBookRows`, so the worker runs
 * the same source.
 */
export function wholeLines(carry: Uint8Array | null, piece: Uint8Array, alloc: (n: number) => Uint8Array): WholeLines {
  const cl = carry ? carry.length : 0;
  const last = piece.lastIndexOf(10);
  if (last < 0) {
    const c = new Uint8Array(cl + piece.length);
    if (carry) c.set(carry);
    c.set(piece, cl);
    return { bytes: null, len: 0, carry: c };
  }
  const len = cl + last + 1;
  const bytes = alloc(len);
  if (carry) bytes.set(carry);
  bytes.set(piece.subarray(0, last + 1), cl);
  return { bytes, len, carry: last + 1 < piece.length ? new Uint8Array(piece.subarray(last + 1)) : null };
}

/**
 * The last line of a stream that does not end with a newline (`carry`, from `wholeLines`) as a chunk
 * of its own with the newline added, in a buffer from `alloc`; null when there is none.
 * Self-contained like `wholeLines`.
 */
export function finalLine(carry: Uint8Array | null, alloc: (n: number) => Uint8Array): { bytes: Uint8Array; len: number } | null {
  if (carry === null || carry.length === 0) return null;
  const bytes = alloc(carry.length + 1);
  bytes.set(carry);
  bytes[carry.length] = 10;
  return { bytes, len: carry.length + 1 };
}

/**
 * A buffer of at least `n` bytes owning its ArrayBuffer: a used one from `pool` when large enough
 * (fresh memory costs page faults on every chunk), else a new one with some room. Self-contained
 * like `wholeLines`.
 */
export function pooledChunk(pool: ArrayBuffer[], n: number): Uint8Array {
  while (pool.length > 0) {
    const b = pool.pop()!;
    if (b.byteLength >= n) return new Uint8Array(b);
  }
  return new Uint8Array(n + (n >> 3));
}
