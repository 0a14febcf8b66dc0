import { test } from 'node:test';
import assert from 'node:assert/strict';
import { microsFromIso } from '../../src/core/time.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { calendar } from '../../src/assets/equity/calendar.ts';
import { checkShortSale, shortQuantity, shortSalePriceAllowed, ShortSaleRestriction, type ShortSaleOrder } from '../../src/assets/equity/short-selling.ts';
import { borrowAccrualDays, BorrowBook, borrowFee } from '../../src/assets/equity/borrow.ts';

const ny = (date: string, hhmm: string) => microsFromIso(`${date}T${hhmm}:00-05:00`);
const short = (type: ShortSaleOrder['type'], price = NaN): ShortSaleOrder => ({ side: 'SELL', type, price, shortSale: true });

test('worked example: an uptick-rule day (Rule 201) and the day after', () => {
  const cal = calendar('XNYS');
  const [day1, day2, day3] = cal.sessions('2026-03-02', '2026-03-04');
  const ssr = new ShortSaleRestriction();
  // Day 1, previous close 50.00 (price units of a cent-quoted stock)
  ssr.startSession(5000);
  assert.equal(ssr.onPrice(ny(day1!.date, '10:00'), 4900), false); // -2%
  assert.equal(ssr.onPrice(ny(day1!.date, '10:30'), 4501), false); // -9.98%
  assert.equal(ssr.active, false);
  assert.equal(checkShortSale(short('MARKET'), 4500, ssr), undefined); // no restriction yet
  assert.equal(ssr.onPrice(ny(day1!.date, '11:15'), 4500), true); // exactly -10%: triggered
  assert.equal(ssr.triggeredAt, ny(day1!.date, '11:15'));
  assert.equal(ssr.active, true);
  // best bid 44.90: short sales must be priced above it
  assert.equal(checkShortSale(short('LIMIT', 4490), 4490, ssr), 'SHORT_SALE_RESTRICTED_PRICE');
  assert.equal(checkShortSale(short('LIMIT', 4480), 4490, ssr), 'SHORT_SALE_RESTRICTED_PRICE');
  assert.equal(checkShortSale(short('LIMIT', 4491), 4490, ssr), undefined);
  assert.equal(checkShortSale(short('MARKET'), 4490, ssr), 'SHORT_SALE_RESTRICTED_MARKET');
  assert.equal(checkShortSale(short('STOP'), 4490, ssr), 'SHORT_SALE_RESTRICTED_MARKET');
  assert.equal(checkShortSale(short('STOP_LIMIT', 4495), 4490, ssr), undefined);
  assert.equal(checkShortSale({ ...short('MARKET'), shortSale: false }, 4490, ssr), undefined); // a long sale
  assert.equal(checkShortSale({ ...short('MARKET'), shortExempt: true }, 4490, ssr), undefined);
  assert.equal(checkShortSale({ side: 'BUY', type: 'MARKET', price: NaN, shortSale: false }, 4490, ssr), undefined);
  assert.equal(checkShortSale(short('LIMIT', 1), NaN, ssr), undefined); // no national best bid
  assert.equal(shortSalePriceAllowed(4490, 4490, ssr), false); // an execution at the bid is blocked too
  assert.equal(ssr.onPrice(ny(day1!.date, '14:00'), 4400), false); // already triggered today
  // Day 2, previous close 46.00: restricted all day, even after the price recovers
  ssr.startSession(4600);
  assert.equal(ssr.active, true);
  assert.equal(ssr.onPrice(ny(day2!.date, '09:45'), 4800), false);
  assert.equal(checkShortSale(short('LIMIT', 4790), 4790, ssr), 'SHORT_SALE_RESTRICTED_PRICE');
  // Day 3, previous close 48.00: the restriction has ended
  ssr.startSession(4800);
  assert.equal(ssr.active, false);
  assert.equal(checkShortSale(short('MARKET'), 4790, ssr), undefined);
  assert.equal(day3!.date, '2026-03-04');
});

test('a new trigger on the carry-over day extends the restriction one more day', () => {
  const ssr = new ShortSaleRestriction();
  ssr.startSession(10_000);
  assert.equal(ssr.onPrice(1, 8_999), true);
  ssr.startSession(9_000); // day 2, carry-over
  assert.equal(ssr.onPrice(2, 8_100), true); // -10% from 90.00 again
  ssr.startSession(8_100); // day 3: still restricted by the day-2 trigger
  assert.equal(ssr.active, true);
  ssr.startSession(8_200); // day 4
  assert.equal(ssr.active, false);
  ssr.reset();
  assert.equal(ssr.onPrice(3, 1), false); // no previous close known: never triggers
});

test('short quantity of a sell against the long position and working sells', () => {
  assert.equal(shortQuantity(300, 500, 100), 300);
  assert.equal(shortQuantity(300, 200), 0);
  assert.equal(shortQuantity(-100, 50), 50);
  assert.equal(shortQuantity(0, 100), 100);
});

test('borrow list: easy, hard (daily locate limit) and not borrowable', () => {
  const book = new BorrowBook([
    { symbol: 'GME', status: 'HTB', available: 500, rate: 0.3 },
    { symbol: 'XYZ', status: 'ETB' },
    { symbol: 'NOPE', status: 'NONE' },
  ]);
  assert.equal(book.locate('GME', 300), undefined);
  assert.equal(book.remaining('GME'), 200);
  assert.equal(book.locate('GME', 300), 'LOCATE_LIMIT');
  assert.equal(book.locate('GME', 200), undefined);
  book.resetDay();
  assert.equal(book.remaining('GME'), 500);
  assert.equal(book.locate('NOPE', 1), 'NO_BORROW');
  assert.equal(book.locate('XYZ', 1e9), undefined);
  assert.equal(book.locate('UNLISTED', 1000), undefined); // default: easy to borrow
  assert.deepEqual([book.rate('GME'), book.rate('XYZ'), book.rate('UNLISTED')], [0.3, 0.0025, 0.0025]);
  assert.equal(new BorrowBook([], { status: 'NONE' }).locate('ANY', 1), 'NO_BORROW');
  assert.throws(
    () => new BorrowBook([{ symbol: 'A', status: 'ETB' }, { symbol: 'B', status: 'HTB', rate: -1 }, { symbol: 'C', status: 'MAYBE' as 'ETB' }]),
    (e: unknown) => e instanceof ConfigError && /borrow\[1\]\.rate: expected an annual rate >= 0/.test(e.message) && /borrow\[2\]\.status/.test(e.message),
  );
});

test('borrow fee: annual rate / 360 on the closing value, per calendar day', () => {
  assert.equal(borrowFee(1000, 50, 0.03), 417); // 4.1666... -> 4.17
  assert.equal(borrowFee(-1000, 50, 0.03, 3), 1250); // Friday close covers Sat and Sun
  assert.equal(borrowFee(100, 20, 0.3, 1), 167); // 600 / 360 = 1.6666 -> 1.67
  const cal = calendar('XNYS');
  assert.equal(borrowAccrualDays(cal, '2026-11-25'), 2); // Wednesday before Thanksgiving
  assert.equal(borrowAccrualDays(cal, '2026-11-27'), 3); // Friday
  assert.equal(borrowAccrualDays(cal, '2026-11-30'), 1);
  assert.equal(borrowAccrualDays(cal, '2026-11-26'), 0); // not a session
});
