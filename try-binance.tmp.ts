import { BinanceRecordingReplay } from './src/data/binance/recording-replay.ts';
for (const p of ['BINANCE','BINANCE_FUTURES','BINANCE_US']) {
  const r = await BinanceRecordingReplay.open('/work/shared/data/binance/cryptofeed-sample_data/' + p);
  const ev = await r.collect();
  const kinds: Record<string, number> = {};
  for (const e of ev) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
  console.log(p, r.market, r.venue, JSON.stringify({...r.stats, errors: r.stats.errors.length}), kinds);
  for (const [s, b] of r.books()) console.log(' ', s, b.state, JSON.stringify(b.counters), b.book.bids.count, b.book.asks.count);
}
