import { IdMap } from '../src/market/id-map.ts';
const N = 3000;
const objs: object[] = []; for (let i = 0; i < N; i++) objs.push({ i });
function t(name: string, f: () => void) { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); console.log(name, ((c.user + c.system) * 1000 / (N * 2000 * 3)).toFixed(1), 'ns/op'); }
for (let r = 0; r < 2; r++) {
t('IdMap', () => { const m = new IdMap<object>(); let base = 0; for (let j = 0; j < 2000; j++) { for (let i = 0; i < N; i++) m.set(base + i, objs[i]!); for (let i = 0; i < N; i++) if (!m.has(base + i)) throw 1; for (let i = 0; i < N; i++) m.delete(base + i); base += N; } });
t('Map', () => { const m = new Map<number, object>(); let base = 0; for (let j = 0; j < 2000; j++) { for (let i = 0; i < N; i++) m.set(base + i, objs[i]!); for (let i = 0; i < N; i++) if (!m.has(base + i)) throw 1; for (let i = 0; i < N; i++) m.delete(base + i); base += N; } });
}
