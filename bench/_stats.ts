import { makeWorkload } from './matching.ts';
import { MatchingEngine } from '../src/market/matching-engine.ts';
const w = makeWorkload(42, 200_000);
