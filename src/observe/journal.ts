import { createHash, type Hash } from 'node:crypto';
import { fnv1a } from '../core/rng.ts';

/** Fields of one order event, as `Journal.event` takes them. */
const FIELDS = 16;
/** Slots of the string-code cache (16 for each of the 7 string fields), minus one. */
const CACHE_MASK = 127;

/**
 * The audit journal: the ordered stream of order and fill events of a run, with a running SHA-256.
 * Two runs with the same inputs and seed give the same `hash()`; any difference in any event changes it.
 *
 * Order events (`event()`, the hot path) are recorded as 16 float64 values each, little-endian, strings
 * replaced by their 32-bit FNV-1a hash, and fed to SHA-256 in blocks of 512 events: no string is built
 * per event. Other lines (`record()`) are hashed as UTF-8 text followed by a newline, after the pending
 * binary block. Text lines are kept in memory only when asked (`keepLines`), built from the same fields.
 */
export class Journal {
  private readonly sha: Hash = createHash('sha256');
  private readonly kept: string[] | undefined;
  private readonly buf = new Float64Array(FIELDS * 512);
  private pos = 0;
  private readonly codes = new Map<string, number>();
  private readonly slotKeys: (string | undefined)[] = new Array<string | undefined>(CACHE_MASK + 1).fill(undefined);
  /** The codes as int32 (`fnv1a | 0`): a small integer is returned unboxed even when `code` is not inlined. */
  private readonly slotCodes = new Int32Array(CACHE_MASK + 1);
  /** Lines recorded so far. */
  count = 0;

  constructor(keepLines = false) {
    this.kept = keepLines ? [] : undefined;
  }

  /**
   * The code of string field `field` (0-6): a direct-mapped cache of 16 slots per field, picked by
   * length and first and last characters (a field takes few values: a handful of kinds, sides,
   * types, statuses, reasons and symbols, so the slot nearly always holds `s`, and comparing
   * internalized strings is cheaper than a Map's lookup), else the map. Returns the FNV-1a hash as
   * an int32 (`event` stores it back as the unsigned value, `>>> 0`).
   */
  private code(field: number, s: string): number {
    const n = s.length;
    const slot = n === 0 ? field << 4 : (field << 4) | ((n * 7 + s.charCodeAt(0) * 3 + s.charCodeAt(n - 1)) & 15);
    if (this.slotKeys[slot] === s) return this.slotCodes[slot]!;
    return this.codeMiss(slot, s);
  }

  /** `code` when the slot holds another string (out of line, so that `code` stays small enough to inline). */
  private codeMiss(slot: number, s: string): number {
    let c = this.codes.get(s);
    if (c === undefined) {
      c = fnv1a(s) | 0;
      this.codes.set(s, c);
    }
    this.slotKeys[slot] = s;
    this.slotCodes[slot] = c;
    return c;
  }

  /**
   * One order event. Numbers are integer units (prices, sizes, cash) or NaN when absent; strings are
   * codes such as `FILL`, `BUY`, `LIMIT`, a status or a reason ('' when absent).
   */
  event(
    time: number,
    kind: string,
    orderId: number,
    symbol: string,
    side: string,
    type: string,
    price: number,
    trigger: number,
    quantity: number,
    filled: number,
    status: string,
    reason: string,
    fillPrice: number,
    fillQuantity: number,
    fee: number,
    liquidity: string,
  ): void {
    if (this.pos + FIELDS > this.buf.length) this.flush();
    const b = this.buf;
    let p = this.pos;
    b[p++] = time;
    b[p++] = this.code(0, kind) >>> 0;
    b[p++] = orderId;
    b[p++] = this.code(1, symbol) >>> 0;
    b[p++] = this.code(2, side) >>> 0;
    b[p++] = this.code(3, type) >>> 0;
    b[p++] = price;
    b[p++] = trigger;
    b[p++] = quantity;
    b[p++] = filled;
    b[p++] = this.code(4, status) >>> 0;
    b[p++] = this.code(5, reason) >>> 0;
    b[p++] = fillPrice;
    b[p++] = fillQuantity;
    b[p++] = fee;
    b[p++] = this.code(6, liquidity) >>> 0;
    this.pos = p;
    this.count++;
    this.kept?.push([time, kind, orderId, symbol, side, type, price, trigger, quantity, filled, status, reason, fillPrice, fillQuantity, fee, liquidity].join('|'));
  }

  /** Appends one free-form line (margin calls, requests). */
  record(line: string): void {
    this.flush();
    this.sha.update(line + '\n');
    this.count++;
    this.kept?.push(line);
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.sha.update(new Uint8Array(this.buf.buffer, 0, this.pos * 8));
    this.pos = 0;
  }

  /** The lines, when the journal keeps them. */
  lines(): readonly string[] {
    return this.kept ?? [];
  }

  /** Hex SHA-256 of everything recorded so far (the journal can keep growing afterwards). */
  hash(): string {
    this.flush();
    return this.sha.copy().digest('hex');
  }
}
