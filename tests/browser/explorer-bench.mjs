// Times how long the explorer takes to draw an entity with about 100 neighbours, in headless Chromium: from the start
// of navigation to the end of the first graph layout (window.explorerRendered, set on Cytoscape's layoutstop), and
// the layout and drawing alone. Prints figures; asserts nothing about time (see explorer-bench.sh).
//   KG_BASE_URL  the running API;  KG_BENCH_KEY  the entity to open;  KG_BENCH_RUNS  how many loads (default 7)
import { chromium } from 'playwright-core';

const baseUrl = (process.env.KG_BASE_URL ?? '').replace(/\/+$/, '');
const key = process.env.KG_BENCH_KEY;
const runs = Number(process.env.KG_BENCH_RUNS ?? 7);
if (!baseUrl || !key) throw new Error('KG_BASE_URL and KG_BENCH_KEY are needed: run explorer-bench.sh');

const browser = await chromium.launch({
  executablePath: process.env.KG_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const rows = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Performance.enable');
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
    await page.goto(`${baseUrl}/explore?key=${encodeURIComponent(key)}`);
    const rendered = await page.waitForFunction(() => window.explorerRendered && { ...window.explorerRendered, sinceNavigation: performance.now() }, null, { timeout: 60_000 });
    const figures = await rendered.jsonValue();
    // Main-thread time the page used, which a busy machine inflates less than the wall clock.
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    rows.push({ ...figures, bytes, busy: metrics.TaskDuration * 1000, script: metrics.ScriptDuration * 1000 });
    await context.close();
  }
} finally {
  await browser.close();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`entity ${key}: ${rows[0].nodes} nodes, ${rows[0].edges} relationships drawn; ${runs} loads, each in a fresh browser context`);
console.log('| load | navigation to graph drawn, ms | graph built, laid out and drawn, ms | main thread busy, ms | of which script, ms | bytes on the wire |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
rows.forEach((r, i) => console.log(`| ${i + 1} | ${r.sinceNavigation.toFixed(0)} | ${r.milliseconds.toFixed(0)} | ${r.busy.toFixed(0)} | ${r.script.toFixed(0)} | ${r.bytes} |`));
const m = (name) => median(rows.map((r) => r[name])).toFixed(0);
console.log(`median: ${m('sinceNavigation')} ms from navigation to the graph drawn, ${m('milliseconds')} ms building, laying out and drawing it, main thread busy ${m('busy')} ms; max ${Math.max(...rows.map((r) => r.sinceNavigation)).toFixed(0)} ms from navigation`);
