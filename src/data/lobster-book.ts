import { LobsterOrderMap, OrderStep } from './lobster-orders.ts';

/**
 * The book of a LOBSTER reconstruction: one `LevelSide` per side (price levels on typed arrays) plus
 * the live orders whose submission was seen (`LobsterOrderMap`). Levels are stored by KEY, the price
 * for bids and minus the price for asks, in ascending order, so on both sides the best level is the
 * last one and the hot operations (messages touch the top levels) move only a few entries.
 *
 * The book keeps every level it has ever seen, also outside the order-book file's window of N
 * levels: such levels may be stale (a level-N file carries no message about them), and `resync`
 * corrects them from an order-book row when they come back into the window.
 */

/** Result codes of `LobsterBook.apply` (0 is success). */
export const ApplyCode = {
  Ok: 0,
  /** A type-1 submission with an id that is already live. */
  DuplicateId: 1,
  /** A cancel, delete or execution at a price where the book has no level. */
  NoLevel: 2,
  /** A cancel, delete or execution larger than the level (for an unknown, pre-existing order). */
  LevelOverdrawn: 3,
  /** A cancel, delete or execution larger than what remains of a known order. */
  OrderOverdrawn: 4,
  /** A known order id with another price or side than its submission. */
  OrderMismatch: 5,
  /** A level would hold more than 2^31 - 1 shares. */
  LevelOverflow: 6,
} as const;
export type ApplyCode = (typeof ApplyCode)[keyof typeof ApplyCode];

/** One side of the book: levels in ascending key order (best last). */
export class LevelSide {
  keys: Int32Array;
  sizes: Int32Array;
  count = 0;

  constructor(capacity = 256) {
    this.keys = new Int32Array(capacity);
    this.sizes = new Int32Array(capacity);
  }

  /** Index of the level with `key`, or -1. */
  indexOf(key: number): number {
    const keys = this.keys;
    let i = this.count - 1;
    while (i >= 0 && keys[i]! > key) i--;
    return i >= 0 && keys[i] === key ? i : -1;
  }

  /** Size at `key` (0 when no level). */
  sizeAt(key: number): number {
    const i = this.indexOf(key);
    return i < 0 ? 0 : this.sizes[i]!;
  }

  /** Adds `size` at `key`, creating the level when new; false when the level would pass 2^31 - 1. */
  add(key: number, size: number): boolean {
    const keys = this.keys;
    let i = this.count - 1;
    while (i >= 0 && keys[i]! > key) i--;
    if (i >= 0 && keys[i] === key) {
      const total = this.sizes[i]! + size;
      if (total > 2_147_483_647) return false;
      this.sizes[i] = total;
      return true;
    }
    if (this.count === keys.length) this.grow();
    const k = this.keys;
    const s = this.sizes;
    for (let j = this.count; j > i + 1; j--) {
      k[j] = k[j - 1]!;
      s[j] = s[j - 1]!;
    }
    k[i + 1] = key;
    s[i + 1] = size;
    this.count++;
    return true;
  }

  /**
   * Removes `size` from the level at `key` (the level goes when it reaches 0). Returns `NoLevel` or
   * `LevelOverdrawn` without changing anything when the level is missing or smaller; with `clamp`
   * the level is removed instead.
   */
  reduce(key: number, size: number, clamp: boolean): ApplyCode {
    const keys = this.keys;
    let i = this.count - 1;
    while (i >= 0 && keys[i]! > key) i--;
    if (i < 0 || keys[i] !== key) return ApplyCode.NoLevel;
    const left = this.sizes[i]! - size;
    if (left > 0) {
      this.sizes[i] = left;
      return ApplyCode.Ok;
    }
    if (left < 0 && !clamp) return ApplyCode.LevelOverdrawn;
    this.removeAt(i);
    return left < 0 ? ApplyCode.LevelOverdrawn : ApplyCode.Ok;
  }

  private removeAt(i: number): void {
    const k = this.keys;
    const s = this.sizes;
    const n = this.count - 1;
    for (let j = i; j < n; j++) {
      k[j] = k[j + 1]!;
      s[j] = s[j + 1]!;
    }
    this.count = n;
  }

  /**
   * True when the top levels equal this side of order-book row `row[off...]`: `col` is 0 for asks
   * and 2 for bids, `sign` -1 for asks and 1 for bids.
   */
  matches(row: Int32Array, off: number, col: number, sign: number, levels: number): boolean {
    const keys = this.keys;
    const sizes = this.sizes;
    let idx = this.count - 1;
    let o = off + col;
    for (let k = 0; k < levels; k++, o += 4) {
      const rs = row[o + 1]!;
      if (rs === 0) return idx < 0;
      if (idx < 0 || keys[idx] !== sign * row[o]! || sizes[idx] !== rs) return false;
      idx--;
    }
    return true;
  }

  /**
   * Makes the window equal to the row: when the row is full, every level at or better than its
   * N-th price is replaced by the row's levels (deeper levels stay, possibly stale); when the row
   * has empty slots the side holds exactly the row's levels.
   */
  resync(row: Int32Array, off: number, col: number, sign: number, levels: number): void {
    let c = 0;
    while (c < levels && row[off + 4 * c + col + 1] !== 0) c++;
    if (c === levels) {
      const edge = sign * row[off + 4 * (levels - 1) + col]!;
      let n = this.count;
      while (n > 0 && this.keys[n - 1]! >= edge) n--;
      this.count = n;
    } else this.count = 0;
    while (this.count + c > this.keys.length) this.grow();
    for (let k = c - 1; k >= 0; k--) {
      const o = off + 4 * k + col;
      this.keys[this.count] = sign * row[o]!;
      this.sizes[this.count] = row[o + 1]!;
      this.count++;
    }
  }

  /**
   * True when the side differs from the row at a level the messages could have known: a price at
   * or better than the previous row's N-th price (or any price when the previous row was not
   * full). Differences only at deeper prices are levels entering the window (a resync).
   */
  unexplained(row: Int32Array, off: number, col: number, sign: number, levels: number, prevFull: boolean, prevEdge: number): boolean {
    let c = 0;
    while (c < levels && row[off + 4 * c + col + 1] !== 0) c++;
    const edge = c === levels ? sign * row[off + 4 * (levels - 1) + col]! : -Infinity;
    const keys = this.keys;
    const sizes = this.sizes;
    // merge the book's levels inside the row's window with the row's levels, both best (largest key) first
    let i = this.count - 1;
    let k = 0;
    for (;;) {
      const rk = k < c ? sign * row[off + 4 * k + col]! : -Infinity;
      const bk = i >= 0 && keys[i]! >= edge ? keys[i]! : -Infinity;
      if (rk === -Infinity && bk === -Infinity) return false;
      let differs: number;
      if (rk === bk) {
        differs = sizes[i] !== row[off + 4 * k + col + 1] ? rk : NaN;
        i--;
        k++;
      } else if (rk > bk) {
        differs = rk; // a row level the book lacks
        k++;
      } else {
        differs = bk; // a book level the row lacks
        i--;
      }
      if (differs === differs && !(prevFull && differs < prevEdge)) return true;
    }
  }

  private grow(): void {
    const k = new Int32Array(this.keys.length * 2);
    k.set(this.keys);
    const s = new Int32Array(this.sizes.length * 2);
    s.set(this.sizes);
    this.keys = k;
    this.sizes = s;
  }
}

/**
 * The L3-aware price-level book of a LOBSTER reconstruction. `apply` takes one message in the
 * file's own units (price USD x 10000, direction 1 buy / -1 sell) and returns an `ApplyCode`;
 * after a non-zero code, `detail` holds the level size or the order's remaining size, price and
 * side for the error message.
 */
export class LobsterBook {
  readonly bids = new LevelSide();
  readonly asks = new LevelSide();
  readonly orders = new LobsterOrderMap();
  /** Cancels, deletes and executions of ids whose submission was not seen (orders resting before the file starts or added outside the window). */
  unknownOrderMessages = 0;
  /** Overdraws recovered by clamping (only with `clamp`). */
  clamped = 0;
  /** Details of the last non-zero code: level size, order remaining, order price, order side. */
  readonly detail = { levelSize: 0, orderRemaining: 0, orderPrice: 0, orderSide: 0 };

  constructor(private readonly clamp = false) {}

  /**
   * True when the top `levels` levels of both sides equal order-book row `row[off...]` (the hot
   * comparison: one pass over the row, integers only). Empty slots have size 0.
   */
  matchesRow(row: Int32Array, off: number, levels: number): boolean {
    const bk = this.bids.keys;
    const bs = this.bids.sizes;
    const ak = this.asks.keys;
    const as = this.asks.sizes;
    let ib = this.bids.count - 1;
    let ia = this.asks.count - 1;
    const end = off + 4 * levels;
    if (ib >= levels - 1 && ia >= levels - 1 && row[end - 3] !== 0 && row[end - 1] !== 0) {
      // both sides full, in the row and in the book (the usual case): no empty slot to look for
      for (let o = off; o < end; o += 4, ia--, ib--) {
        if (as[ia] !== row[o + 1] || ak[ia] !== -row[o]! || bs[ib] !== row[o + 3] || bk[ib] !== row[o + 2]) return false;
      }
      return true;
    }
    for (let o = off; o < end; o += 4) {
      const asz = row[o + 1]!;
      if (asz === 0) {
        if (ia >= 0) return false;
      } else {
        if (ia < 0 || as[ia] !== asz || ak[ia] !== -row[o]!) return false;
        ia--;
      }
      const bsz = row[o + 3]!;
      if (bsz === 0) {
        if (ib >= 0) return false;
      } else {
        if (ib < 0 || bs[ib] !== bsz || bk[ib] !== row[o + 2]!) return false;
        ib--;
      }
    }
    return true;
  }

  /** Applies one message; types 5, 6 and 7 leave the visible book alone. */
  apply(type: number, id: number, size: number, price: number, dir: number): ApplyCode {
    const step = this.orders.step(type, id, size, price, dir, this.clamp);
    if (step === OrderStep.Duplicate) return this.orderFail(ApplyCode.DuplicateId);
    if (step === OrderStep.Mismatch) return this.orderFail(ApplyCode.OrderMismatch);
    if (step === OrderStep.Overdrawn) return this.orderFail(ApplyCode.OrderOverdrawn);
    if (type === 1) {
      if ((dir === 1 ? this.bids : this.asks).add(dir * price, size)) return ApplyCode.Ok;
      this.detail.levelSize = (dir === 1 ? this.bids : this.asks).sizeAt(dir * price);
      return ApplyCode.LevelOverflow;
    }
    if (type > 4) return ApplyCode.Ok;
    if (step === OrderStep.Unknown) this.unknownOrderMessages++;
    const side = dir === 1 ? this.bids : this.asks;
    const code = side.reduce(dir * price, size, this.clamp);
    if (code === ApplyCode.Ok || this.clamp) {
      if (step === OrderStep.Clamped || code !== ApplyCode.Ok) this.clamped++;
      return ApplyCode.Ok;
    }
    this.detail.levelSize = side.sizeAt(dir * price);
    return code;
  }

  private orderFail(code: ApplyCode): ApplyCode {
    const o = this.orders;
    const slot = o.slot;
    this.detail.orderRemaining = slot >= 0 ? o.remainingAt(slot) : 0;
    this.detail.orderPrice = slot >= 0 ? o.priceAt(slot) : 0;
    this.detail.orderSide = slot >= 0 ? o.sideAt(slot) : 0;
    return code;
  }
}
