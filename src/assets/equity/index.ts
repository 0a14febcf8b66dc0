/** Equity market rules (docs/equities.md, docs/equity-halts.md): calendars, tick and lot rules, corporate actions, short selling, auctions, LULD, circuit breakers, halts. */
export * from './calendar.ts';
export * from './sessions.ts';
export * from './holidays.ts';
export * from './tick-rules.ts';
export * from './corporate-actions.ts';
export * from './splits.ts';
export * from './dividends.ts';
export * from './adjust.ts';
export * from './borrow.ts';
export * from './short-selling.ts';
export * from './auction.ts';
export * from './auction-book.ts';
export * from './luld.ts';
export * from './circuit-breaker.ts';
export * from './halt-state.ts';
export * from './halt-policy.ts';
export * from './halt-wiring.ts';
