import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendar, CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR } from '../../src/assets/equity/calendar.ts';
import { easterSunday, isoDate, dayFromYmd, tryParseIsoDate } from '../../src/assets/equity/civil-date.ts';
import { MarketsimError } from '../../src/core/errors.ts';
import { isoFromMicros, microsFromIso } from '../../src/core/time.ts';

/**
 * Expected schedules, copied from the exchange's published lists (not computed by the code under test):
 * NYSE "Holidays & Trading Hours" (nyse.com/markets/hours-calendars), 2025 and 2026 tables, with the
 * 2025-01-09 national day of mourning for President Carter (NYSE notice of 2024-12-30).
 * Early closes at 1:00 p.m. ET on the listed dates.
 */
const PUBLISHED: Record<number, { holidays: string[]; earlyCloses: string[]; dst: [string, string] }> = {
  2025: {
    holidays: ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'],
    earlyCloses: ['2025-07-03', '2025-11-28', '2025-12-24'],
    // US daylight saving time (EDT, UTC-4): second Sunday of March to first Sunday of November
    dst: ['2025-03-09', '2025-11-02'],
  },
  2026: {
    holidays: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'],
    earlyCloses: ['2026-11-27', '2026-12-24'],
    dst: ['2026-03-08', '2026-11-01'],
  },
};

/** Weekday dates of a year through `Date` (independent of the calendar's own date arithmetic). */
function weekdays(year: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

for (const year of [2025, 2026]) {
  test(`XNYS ${year}: every session, open and close match the published NYSE schedule`, () => {
    const p = PUBLISHED[year]!;
    const expectedDates = weekdays(year).filter((d) => !p.holidays.includes(d));
    for (const exchange of ['XNYS', 'XNAS']) {
      const sessions = calendar(exchange).sessions(`${year}-01-01`, `${year}-12-31`);
      assert.deepEqual(sessions.map((s) => s.date), expectedDates, exchange);
      for (const s of sessions) {
        const edt = s.date >= p.dst[0] && s.date < p.dst[1];
        const off = edt ? 4 : 5;
        const early = p.earlyCloses.includes(s.date);
        assert.equal(isoFromMicros(s.open), `${s.date}T${String(9 + off).padStart(2, '0')}:30:00.000Z`, `${exchange} ${s.date} open`);
        assert.equal(isoFromMicros(s.close), `${s.date}T${String((early ? 13 : 16) + off).padStart(2, '0')}:00:00.000Z`, `${exchange} ${s.date} close`);
        assert.equal(s.earlyClose, early, `${exchange} ${s.date} earlyClose`);
        assert.equal(isoFromMicros(s.preMarketOpen), `${s.date}T${String(4 + off).padStart(2, '0')}:00:00.000Z`);
      }
    }
  });
}

test('DST transitions: 2026-03-09 opens 13:30Z, 2026-11-02 opens 14:30Z; the Friday before each is on the other offset', () => {
  const cal = calendar('XNYS');
  assert.equal(isoFromMicros(cal.session('2026-03-06')!.open), '2026-03-06T14:30:00.000Z');
  assert.equal(isoFromMicros(cal.session('2026-03-09')!.open), '2026-03-09T13:30:00.000Z');
  assert.equal(isoFromMicros(cal.session('2026-10-30')!.open), '2026-10-30T13:30:00.000Z');
  assert.equal(isoFromMicros(cal.session('2026-11-02')!.open), '2026-11-02T14:30:00.000Z');
  // after-hours end at 20:00 New York: 00:00Z next day in summer, 01:00Z in winter
  assert.equal(isoFromMicros(cal.session('2026-10-30')!.afterHoursClose), '2026-10-31T00:00:00.000Z');
  assert.equal(isoFromMicros(cal.session('2026-11-02')!.afterHoursClose), '2026-11-03T01:00:00.000Z');
});

test('one-off closures: 9/11, Hurricane Sandy, Reagan, Ford, Nixon, Bush, Carter', () => {
  const cal = calendar('XNYS');
  for (const d of ['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2012-10-29', '2012-10-30', '2004-06-11', '2007-01-02', '1994-04-27', '2018-12-05', '2025-01-09']) {
    assert.equal(cal.isSessionDate(d), false, d);
  }
  assert.deepEqual(cal.sessions('2012-10-26', '2012-11-01').map((s) => s.date), ['2012-10-26', '2012-10-31', '2012-11-01']);
  assert.deepEqual(cal.sessions('2001-09-10', '2001-09-17').map((s) => s.date), ['2001-09-10', '2001-09-17']);
  // 2001-09-17 reopened at 09:33 after a moment of silence (late open, XNYS only)
  assert.equal(cal.session('2001-09-17')!.lateOpen, true);
  assert.equal(isoFromMicros(cal.session('2001-09-17')!.open), '2001-09-17T13:33:00.000Z');
  assert.equal(calendar('XNAS').session('2001-09-17')!.lateOpen, false);
});

test('observance rules: Saturday New Year not observed on Friday Dec 31; Sunday holidays move to Monday; Saturday ones to Friday', () => {
  const cal = calendar('XNYS');
  // 2022-01-01 was a Saturday: NYSE traded on Friday 2021-12-31 (Rule 7.2)
  assert.equal(cal.isSessionDate('2021-12-31'), true);
  assert.equal(cal.isSessionDate('2010-12-31'), true); // 2011-01-01 Saturday
  assert.equal(cal.isSessionDate('2017-01-02'), false); // 2017-01-01 Sunday -> Monday
  assert.equal(cal.isSessionDate('2022-06-20'), false); // Juneteenth 2022 on Sunday -> Monday
  assert.equal(cal.isSessionDate('2021-06-18'), true); // no Juneteenth before 2022
  assert.equal(cal.isSessionDate('2027-06-18'), false); // Juneteenth 2027 on Saturday -> Friday
  assert.equal(cal.isSessionDate('2020-07-03'), false); // July 4 2020 Saturday -> Friday
  assert.equal(cal.isSessionDate('2022-12-26'), false); // Christmas 2022 Sunday -> Monday
  assert.equal(cal.isSessionDate('1997-01-20'), true); // MLK day only from 1998
  assert.equal(cal.isSessionDate('1998-01-19'), false);
});

test('Good Friday from the computus, checked against known Easter dates', () => {
  const known: [number, string][] = [[1990, '1990-04-15'], [2000, '2000-04-23'], [2008, '2008-03-23'], [2019, '2019-04-21'], [2024, '2024-03-31'], [2025, '2025-04-20'], [2038, '2038-04-25'], [2100, '2100-03-28']];
  for (const [y, easter] of known) {
    assert.equal(isoDate(easterSunday(y)), easter);
    const gf = isoDate(tryParseIsoDate(easter) - 2);
    assert.equal(calendar('XNYS').isSessionDate(gf), false, `Good Friday ${gf}`);
  }
});

test('early closes by the July rules: Wednesday July 3 from 2013, Friday July 5 until 2012, none when July 3 is a Friday', () => {
  const cal = calendar('XNYS');
  assert.equal(cal.session('2019-07-03')!.earlyClose, true); // Wednesday, July 4 on Thursday
  assert.equal(cal.session('2019-07-05')!.earlyClose, false);
  assert.equal(cal.session('2002-07-05')!.earlyClose, true); // Friday after a Thursday July 4 (pre-2013 rule)
  assert.equal(cal.session('2024-07-03')!.earlyClose, true);
  assert.equal(cal.session('2015-07-02')!.earlyClose, false); // July 3 2015 was the observed holiday
  assert.equal(cal.session('2021-12-23')!.earlyClose, false); // Christmas Eve 2021 was a Friday holiday
  // half day after-hours end at 17:00 New York
  assert.equal(isoFromMicros(cal.session('2026-11-27')!.afterHoursClose), '2026-11-27T22:00:00.000Z');
});

test('isOpen, sessionAt, nextOpen, nextClose around a half day and a weekend', () => {
  const cal = calendar('XNYS');
  const t = (iso: string) => microsFromIso(iso);
  assert.equal(cal.isOpen(t('2026-11-27T14:29:59.999999Z')), false);
  assert.equal(cal.isOpen(t('2026-11-27T14:30:00Z')), true);
  assert.equal(cal.isOpen(t('2026-11-27T17:59:59Z')), true);
  assert.equal(cal.isOpen(t('2026-11-27T18:00:00Z')), false); // 13:00 close
  assert.equal(cal.isOpen(t('2026-11-27T18:00:00Z'), { extended: true }), true);
  assert.equal(cal.isOpen(t('2026-11-27T22:00:00Z'), { extended: true }), false); // after-hours end 17:00
  assert.equal(cal.isOpen(t('2026-11-26T15:00:00Z'), { extended: true }), false); // Thanksgiving
  assert.equal(cal.sessionAt(t('2026-11-27T15:00:00Z'))!.date, '2026-11-27');
  assert.equal(cal.sessionAt(t('2026-11-28T15:00:00Z')), undefined);
  // pre-market counts only with extended
  assert.equal(cal.isOpen(t('2026-11-30T09:00:00Z')), false);
  assert.equal(cal.isOpen(t('2026-11-30T09:00:00Z'), { extended: true }), true);
  assert.equal(isoFromMicros(cal.nextOpen(t('2026-11-27T18:00:00Z'))), '2026-11-30T14:30:00.000Z');
  assert.equal(isoFromMicros(cal.nextOpen(t('2026-11-27T18:00:00Z'), { extended: true })), '2026-11-30T09:00:00.000Z');
  assert.equal(isoFromMicros(cal.nextClose(t('2026-11-27T15:00:00Z'))), '2026-11-27T18:00:00.000Z');
  assert.equal(isoFromMicros(cal.nextClose(t('2026-11-27T18:00:00Z'))), '2026-11-30T21:00:00.000Z');
  assert.equal(isoFromMicros(cal.nextClose(t('2026-11-27T18:00:00Z'), { extended: true })), '2026-11-27T22:00:00.000Z');
  // strictly after: at the open itself, the next open is the following day's
  assert.equal(isoFromMicros(cal.nextOpen(t('2026-11-30T14:30:00Z'))), '2026-12-01T14:30:00.000Z');
  // across the year end: 2026-12-31 close -> 2027-01-04 (Jan 1 holiday, then a weekend)
  assert.equal(isoFromMicros(cal.nextOpen(t('2026-12-31T21:00:00Z'))), '2027-01-04T14:30:00.000Z');
});

test('bad exchange, bad dates and years outside the supported range are clear errors', () => {
  assert.throws(() => calendar('XLON'), (e: unknown) => e instanceof MarketsimError && e.code === 'CALENDAR_UNKNOWN_EXCHANGE' && /XLON/.test(e.message));
  const cal = calendar('xnys');
  assert.equal(cal.exchange, 'XNYS');
  assert.throws(() => cal.sessions('2026-02-30', '2026-03-01'), (e: unknown) => e instanceof MarketsimError && e.code === 'DATE_INVALID' && /from/.test(e.message));
  assert.throws(() => cal.sessions('2026-01-01', '26-3-1'), (e: unknown) => e instanceof MarketsimError && /to: expected a date/.test(e.message));
  assert.throws(() => cal.sessions('2026-03-01', '2026-01-01'), (e: unknown) => e instanceof MarketsimError && e.code === 'CALENDAR_BAD_RANGE');
  assert.throws(() => cal.sessions('1989-12-01', '1990-01-05'), (e: unknown) => e instanceof MarketsimError && e.code === 'CALENDAR_OUT_OF_RANGE' && /1990-2100/.test(e.message));
  assert.throws(() => cal.session('2101-01-03'), (e: unknown) => e instanceof MarketsimError && e.code === 'CALENDAR_OUT_OF_RANGE');
  assert.throws(() => cal.isOpen(microsFromIso('1985-06-03T15:00:00Z')), (e: unknown) => e instanceof MarketsimError && e.code === 'CALENDAR_OUT_OF_RANGE');
  assert.throws(() => cal.isOpen(NaN), (e: unknown) => e instanceof MarketsimError && e.code === 'CALENDAR_BAD_TIME');
  // the range edges themselves work
  assert.equal(cal.sessions(`${CALENDAR_MIN_YEAR}-01-01`, `${CALENDAR_MIN_YEAR}-01-05`)[0]!.date, '1990-01-02');
  assert.equal(cal.sessions(`${CALENDAR_MAX_YEAR}-12-27`, `${CALENDAR_MAX_YEAR}-12-31`).at(-1)!.date, '2100-12-31');
  assert.equal(isoDate(dayFromYmd(2100, 12, 31)), '2100-12-31');
});

test('every year of the range has 246 to 255 sessions (no MLK day before 1998) and sorted, distinct dates', () => {
  const cal = calendar('XNAS');
  for (let y = CALENDAR_MIN_YEAR; y <= CALENDAR_MAX_YEAR; y++) {
    const s = cal.yearSessions(y);
    assert.ok(s.length >= 246 && s.length <= 255, `${y}: ${s.length}`);
    for (let i = 1; i < s.length; i++) assert.ok(s[i]!.open > s[i - 1]!.afterHoursClose);
  }
});

test('zonedMicros converts wall time through the IANA zone; an unknown zone is a clear error', async () => {
  const { zonedMicros } = await import('../../src/assets/equity/zoned-time.ts');
  const day = dayFromYmd(2026, 3, 29); // Europe switched to summer time that morning
  assert.equal(isoFromMicros(zonedMicros('Europe/London', day, 9 * 60)), '2026-03-29T08:00:00.000Z');
  assert.equal(isoFromMicros(zonedMicros('Europe/London', day - 1, 9 * 60)), '2026-03-28T09:00:00.000Z');
  assert.equal(isoFromMicros(zonedMicros('America/New_York', dayFromYmd(2007, 3, 12), 9 * 60 + 30)), '2007-03-12T13:30:00.000Z'); // first year of the 2007 rules
  assert.equal(isoFromMicros(zonedMicros('America/New_York', dayFromYmd(2006, 3, 13), 9 * 60 + 30)), '2006-03-13T14:30:00.000Z'); // old rules: DST from April
  assert.throws(() => zonedMicros('Mars/Olympus', day, 0), (e: unknown) => e instanceof MarketsimError && e.code === 'TIMEZONE_UNKNOWN');
});
