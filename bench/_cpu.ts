import { makeWorkload, replayWorkload } from './matching.ts';
const w = makeWorkload(42, 200_000);
replayWorkload(w, 5);
for (let k = 0; k < 3; k++) {
  const c0 = process.cpuUsage();
  const r = replayWorkload(w, 20);
  const c = process.cpuUsage(c0);
  console.log('cpu ops/s', Math.round(r.ops / ((c.user + c.system) / 1e6)), 'fills/op', (r.fills / r.ops).toFixed(3), r.problems);
}
