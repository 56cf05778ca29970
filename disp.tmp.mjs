// times each BusScheduler dispatch and each line write inside the (a) bench setup
const { BusScheduler } = await import('./dist/hardware/serial/bus-scheduler.js');
const { SerialLine } = await import('./dist/hardware/serial/serial-line.js');
const d = BusScheduler.prototype.dispatch;
const times = []; const writes = [];
BusScheduler.prototype.dispatch = function () { const a = performance.now(); d.call(this); times.push(performance.now() - a); };
const w = SerialLine.prototype.write;
SerialLine.prototype.write = function (b) { const a = performance.now(); const r = w.call(this, b); writes.push(performance.now() - a); return r; };
process.on('exit', () => {
  const q = (arr, p) => { const s = [...arr].sort((x, y) => x - y); return (s[Math.floor(s.length * p)] * 1000).toFixed(1); };
  console.error('dispatch us p50', q(times, 0.5), 'p90', q(times, 0.9), 'p99', q(times, 0.99), 'n', times.length);
  console.error('line.write us p50', q(writes, 0.5), 'p90', q(writes, 0.9), 'p99', q(writes, 0.99));
});
process.argv.push('--commands', '300');
await import('./dist/bench/sync.js');
