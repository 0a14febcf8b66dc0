/**
 * Our orders inside a replayed market: the replayed book (`ReplayBook`), queue position models and
 * time-dependent (recorded) latency. Rules and examples: docs/queue-models.md.
 */
export { L2Level, L2Side } from './l2-side.ts';
export { collectFill, isL3QueueModel, type L3QueueModel, type QueueEntry, type QueueModel } from './queue-model.ts';
export {
  L3FifoQueueModel,
  LogProbQueueFunc,
  LogProbQueueFunc2,
  PowerProbQueueFunc,
  PowerProbQueueFunc2,
  PowerProbQueueFunc3,
  ProbQueueModel,
  RiskAverseQueueModel,
  type QueueProbability,
} from './queue-models.ts';
export { ReplayBook, RestingOrder, bookFill, type ReplayBookOptions, type ReplayEvent, type ReplayFillListener, type SubmitOutcome } from './replay-book.ts';
export { RecordedLatency, TimedLatencyAdapter, parseLatencyCsv, readLatencyCsv, untimed, type LatencyRecording, type TimedLatencyModel } from './recorded-latency.ts';
