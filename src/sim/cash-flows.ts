import type { EventQueue, Scheduled } from '../core/event-queue.ts';
import { MarketsimError } from '../core/errors.ts';
import type { InstrumentRegistry } from '../market/instrument.ts';
import type { Account } from './account.ts';
import type { CashFlowKind } from './ledger.ts';

/**
 * A cash flow an instrument pays its holders: a cash dividend or a bond coupon (docs/accounts.md,
 * "Dividends, coupons and accrued interest"). Entitlement is the position held at `recordTime` (a
 * dividend's ex-date open, a coupon's record date); the money moves at `payTime`: long holders receive
 * `perUnit * quantity`, short holders pay it.
 */
export interface ScheduledCashFlow {
  kind: Extract<CashFlowKind, 'DIVIDEND' | 'COUPON'>;
  symbol: string;
  /** When the holder of record is fixed, microseconds. */
  recordTime: number;
  /** When the cash moves, microseconds (>= recordTime). */
  payTime: number;
  /** Cash per one unit of size (a share; one unit of face for a bond), in the account currency, decimal. */
  perUnit: number;
}

/** What happened to one scheduled flow (for reports and tests). */
export interface CashFlowRecord {
  kind: ScheduledCashFlow['kind'];
  symbol: string;
  recordTime: number;
  payTime: number;
  /** Position at the record time, size units (signed). */
  quantity: number;
  /** Cash moved, cash units (signed; 0 when flat at the record time). */
  amount: number;
}

class RecordDate implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly owner: CashFlowSchedule, private readonly index: number) {}
  fire(): void {
    this.owner.record(this.index);
  }
}

class PayDate implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly owner: CashFlowSchedule, private readonly index: number) {}
  fire(): void {
    this.owner.pay(this.index);
  }
}

/**
 * Puts each flow's record and pay dates on the event queue and posts the money to the account. The
 * amount is `round(perUnit * cashScale * quantity / sizeScale)` cash units, exact in the ledger.
 * Flows of symbols not in the registry are rejected up front with a `MarketsimError`.
 */
export class CashFlowSchedule {
  private readonly records: CashFlowRecord[];

  constructor(
    private readonly flows: readonly ScheduledCashFlow[],
    private readonly account: Account,
    private readonly instruments: InstrumentRegistry,
  ) {
    this.records = flows.map((f, i) => {
      const where = `cash flow ${i} (${f.kind} ${f.symbol})`;
      if (!instruments.get(f.symbol)) throw new MarketsimError('CASH_FLOW_INVALID', `${where}: unknown symbol ${JSON.stringify(f.symbol)}`);
      if (!Number.isSafeInteger(f.recordTime) || !Number.isSafeInteger(f.payTime) || f.payTime < f.recordTime) {
        throw new MarketsimError('CASH_FLOW_INVALID', `${where}: recordTime and payTime must be integer microseconds with payTime >= recordTime`);
      }
      if (!Number.isFinite(f.perUnit) || f.perUnit < 0) throw new MarketsimError('CASH_FLOW_INVALID', `${where}: perUnit must be a finite number >= 0, got ${f.perUnit}`);
      return { kind: f.kind, symbol: f.symbol, recordTime: f.recordTime, payTime: f.payTime, quantity: 0, amount: 0 };
    });
  }

  /** Schedules every record and pay date on `queue`. */
  schedule(queue: EventQueue): void {
    for (let i = 0; i < this.flows.length; i++) {
      const f = this.flows[i]!;
      queue.push(new RecordDate(f.recordTime, this, i));
      queue.push(new PayDate(f.payTime, this, i));
    }
  }

  /** The flows with their entitlements and amounts so far. */
  get history(): readonly CashFlowRecord[] {
    return this.records;
  }

  /** @internal Fixes the holder of record. */
  record(i: number): void {
    const inst = this.instruments.get(this.flows[i]!.symbol)!;
    this.records[i]!.quantity = this.account.position(inst).quantity;
  }

  /** @internal Pays (or charges) the flow. */
  pay(i: number): void {
    const f = this.flows[i]!;
    const r = this.records[i]!;
    if (r.quantity === 0) return;
    const inst = this.instruments.get(f.symbol)!;
    const cashScale = 10 ** this.account.cashPrecision;
    const amount = Math.round((f.perUnit * cashScale * r.quantity) / inst.sizeScale);
    if (amount === 0) return;
    r.amount = amount;
    this.account.post(f.kind, amount, f.payTime, inst);
  }
}
