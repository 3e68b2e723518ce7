// Opens the graph explorer and the source reader that the running API serves at /explore, as a researcher would:
// in Chromium, look at WhatsApp's neighbourhood, click Facebook, ask how Elon Musk reaches WhatsApp, switch to French,
// read the article with its cited and uncited passages; an axe-core scan of each page finds no serious violation.
// Needs KG_BASE_URL (tests/browser/run.sh starts the API and sets it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const baseUrl = (process.env.KG_BASE_URL ?? '').replace(/\/+$/, '');
const chromiumPath = process.env.KG_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = process.env.KG_ARTIFACTS ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const timeout = Number(process.env.KG_BROWSER_TIMEOUT_MS ?? 60_000);
const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const source = 'whatsapp-privacy-exodus-2021';
const facebookSentence = 'De toute évidence, les rivaux de WhatsApp profitent de la déception du service Facebook.';
const facebookExcerpt = 'les rivaux de WhatsApp profitent de la déception du service Facebook';
const firstLoadBudget = 500 * 1024;

if (!baseUrl) {
  throw new Error('KG_BASE_URL is not set: run tests/browser/run.sh, or start the API and set KG_BASE_URL=http://127.0.0.1:PORT');
}

/** Runs axe-core in the page and fails on any serious or critical violation, naming each. */
async function assertAccessible(page, name) {
  await page.addScriptTag({ path: axeScript });
  const results = await page.evaluate(() => window.axe.run(document));
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  console.log(`# axe-core on ${name}: ${results.passes.length} rules passed, ${results.violations.length} violated (${results.violations.map((v) => `${v.id}: ${v.impact}`).join(", ") || "none"}), ${serious.length} of them serious or critical`);
  const described = serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(described, [], `axe-core found serious violations on ${name}`);
}

async function displayedKeys(page) {
  return page.locator('#node-list li').evaluateAll((items) => items.map((li) => li.dataset.key));
}

/** Clicks an entity where Cytoscape drew it on the canvas, as a mouse would. */
async function clickNode(page, key) {
  const point = await page.evaluate((k) => {
    const cy = window.explorer.cy();
    const node = cy.getElementById(k);
    const box = cy.container().getBoundingClientRect();
    const p = node.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }, key);
  await page.mouse.click(point.x, point.y);
}

describe('GET /explore', () => {
  test('answers an HTML page in the language of Accept-Language, or of ?lang=', async () => {
    const french = await fetch(`${baseUrl}/explore?key=whatsapp`, { headers: { 'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.5' } });
    const english = await fetch(`${baseUrl}/explore?key=whatsapp&lang=en`, { headers: { 'Accept-Language': 'fr' } });

    assert.equal(french.status, 200);
    assert.match(french.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await french.text(), /<html lang="fr">/);
    assert.match(await english.text(), /<html lang="en">/);
    assert.match(french.headers.get('vary') ?? '', /accept-language/i);
  });

  test('serves its scripts compressed to a browser that accepts Brotli or gzip', async () => {
    for (const encoding of ['br', 'gzip']) {
      const response = await fetch(`${baseUrl}/explore/assets/explorer.js`, { headers: { 'Accept-Encoding': encoding } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-encoding'), encoding);
      assert.match(response.headers.get('content-type') ?? '', /javascript/);
      assert.match(await response.text(), /cytoscape|Cytoscape/);
    }
  });
});

describe('the explorer in Chromium', () => {
  let browser;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  async function open(url, language = 'en-GB,en;q=0.9') {
    // bypassCSP lets the test inject axe-core; the page itself runs under its Content-Security-Policy otherwise.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: language.split(',')[0], extraHTTPHeaders: { 'Accept-Language': language }, bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const origin = new URL(baseUrl).origin;
    const graphqlPosts = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && url.origin !== origin) problems.push(`contacted ${request.url()}`);
      if (url.origin === origin && url.pathname.startsWith('/graphql')) graphqlPosts.push(`${request.method()} ${url.pathname}`);
    });
    await page.goto(`${baseUrl}${url}`);
    return { page, context, problems, graphqlPosts };
  }

  test('draws WhatsApp with Facebook, Telegram and Signal, opens Facebook with its cited sentence, finds how Elon Musk reaches WhatsApp, switches to French, and passes an axe scan', async () => {
    const { page, context, problems, graphqlPosts } = await open('/explore?key=whatsapp');
    try {
      await page.locator('#node-list li[data-key="signal"]').waitFor();
      await page.waitForFunction(() => window.explorerRendered?.nodes > 0);
      const keys = await displayedKeys(page);
      for (const key of ['facebook', 'telegram', 'signal']) assert.ok(keys.includes(key), `${key} should be displayed, shown: ${keys}`);
      assert.equal(await page.locator('#edge-list li[data-key="facebook-owns-whatsapp"] button').innerText(), 'Facebook → owns → WhatsApp');
      for (const kind of ['COMPANY', 'PERSON', 'APP', 'PLATFORM', 'REGION', 'CONTROVERSY', 'ENDORSEMENT']) {
        assert.equal(await page.locator(`.legend li[data-kind="${kind}"] svg`).count(), 1, `legend for ${kind}`);
      }
      await page.screenshot({ path: path.join(artifacts, 'explorer-whatsapp.png') });

      await clickNode(page, 'facebook');
      await page.locator('#details-title', { hasText: /^Facebook$/ }).waitFor();
      const quote = page.locator('#details-body blockquote', { hasText: facebookSentence });
      await quote.waitFor();
      assert.equal(await quote.innerText(), facebookSentence);
      assert.equal(await quote.locator('mark').innerText(), facebookExcerpt);
      assert.equal(await page.locator('#details-body [data-field="name-fr"]').innerText(), 'Facebook');
      // Clicking expanded Facebook by one hop: its privacy scandals.
      await page.locator('#node-list li[data-key="facebook-privacy-scandals"]').waitFor();
      await assertAccessible(page, '/explore?key=whatsapp');
      await page.screenshot({ path: path.join(artifacts, 'explorer-facebook.png') });

      await page.locator('#path-from').fill('elon-musk');
      await page.locator('#path-to').fill('whatsapp');
      await page.getByRole('button', { name: 'Find paths' }).click();
      const steps = page.locator('#path-result ol.path').first().locator('li.step');
      await steps.first().waitFor();
      const stepCount = await steps.count();
      assert.ok(stepCount >= 1);
      const texts = await steps.locator(':scope > p').allInnerTexts();
      assert.match(texts[0], /Elon Musk/);
      assert.match(texts.at(-1), /WhatsApp/);
      for (let i = 0; i < stepCount; i++) {
        assert.ok(await steps.nth(i).locator('blockquote mark').count() >= 1, `step ${i + 1} (${texts[i]}) should cite its sentence`);
      }
      const onPath = await page.locator('#node-list li.on-path').evaluateAll((items) => items.map((li) => li.dataset.key));
      assert.ok(onPath.includes('elon-musk') && onPath.includes('whatsapp'), `the path's ends are marked on the graph: ${onPath}`);
      await page.screenshot({ path: path.join(artifacts, 'explorer-path.png'), fullPage: true });

      // The keyboard reaches the lists and opens what it selects.
      await page.locator('#node-list li[data-key="telegram"] button').focus();
      await page.keyboard.press('Enter');
      await page.locator('#details-title', { hasText: /^Telegram$/ }).waitFor();

      await page.locator('a[data-lang="fr"]').click();
      await page.waitForURL(/lang=fr/);
      await page.locator('h1', { hasText: 'Explorateur du graphe' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      await page.locator('#node-list li[data-key="whatsapp-terms-update-2021"]', { hasText: 'Mise à jour des conditions d’utilisation de WhatsApp (2021)' }).waitFor();
      assert.equal(await page.locator('#edge-list li[data-key="facebook-owns-whatsapp"] button').innerText(), 'Facebook → possède → WhatsApp');
      await assertAccessible(page, '/explore?key=whatsapp&lang=fr');
      await page.screenshot({ path: path.join(artifacts, 'explorer-fr.png') });

      assert.deepEqual(problems, []);
      assert.ok(graphqlPosts.length > 0 && graphqlPosts.every((p) => p === 'POST /graphql'), `only POST /graphql: ${graphqlPosts}`);
    } finally {
      await context.close();
    }
  });

  test('finds an entity by a French spelling without its accents and opens it', async () => {
    const { page, context, problems } = await open('/explore');
    try {
      await page.getByLabel('Search the graph').fill('telegramme');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const hit = page.locator('#search-results li[data-key="telegram"] a');
      await hit.waitFor();
      await hit.click();
      await page.waitForURL(/\/explore\?key=telegram/);
      await page.locator('#details-title', { hasText: /^Telegram$/ }).waitFor();
      await page.locator('#node-list li[data-key="pavel-durov"]').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('reads the source with every cited span marked, lists the records a span supports, and marks the uncited passages', async () => {
    // The explorer links each citation to its span in the reader: #span-<start>-<end>, focused on arrival.
    const { page, context, problems } = await open(`/explore/sources/${source}#span-522-590`);
    try {
      const marks = page.locator('.source-text mark');
      await marks.first().waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'span-522-590');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), facebookExcerpt);
      assert.ok(await marks.count() >= 10, 'the cited spans are marked');
      // The seed cites every sentence of its article (seed/README.md), so the reader marks none uncited.
      assert.equal(await page.locator('.source-text .uncited').count(), 0, 'no passage is marked uncited');

      const facebookMark = page.locator('.source-text mark', { hasText: facebookExcerpt }).first();
      await facebookMark.focus();
      const records = page.locator('#records li');
      await records.first().waitFor();
      const listed = await records.allInnerTexts();
      assert.ok(listed.some((text) => text.includes('Facebook → owns → WhatsApp')), `records for the excerpt: ${listed}`);
      await page.locator('.source-text mark', { hasText: 'Pavel Durov, fondateur et directeur de Telegram' }).first().hover();
      await page.locator('#records li', { hasText: 'Pavel Durov' }).first().waitFor();
      await assertAccessible(page, `/explore/sources/${source}`);
      await page.screenshot({ path: path.join(artifacts, 'reader.png'), fullPage: true });

      await facebookMark.hover();
      await page.locator('#records a[data-edge="facebook-owns-whatsapp"]').click();
      await page.waitForURL(/\/explore\?key=facebook&edge=facebook-owns-whatsapp/);
      await page.locator('#details-title', { hasText: 'Facebook → owns → WhatsApp' }).waitFor();
      await page.locator('#details-body blockquote', { hasText: facebookSentence }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`keeps the first load (page, scripts, styles, first graph) under ${firstLoadBudget / 1024} KB on the wire`, async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    try {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      let bytes = 0;
      cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
      await page.goto(`${baseUrl}/explore?key=whatsapp`);
      await page.locator('#details-body blockquote').first().waitFor();
      await page.waitForLoadState('networkidle');
      console.log(`# explorer first load: ${(bytes / 1024).toFixed(1)} KB transferred`);
      assert.ok(bytes > 0 && bytes < firstLoadBudget, `first load transferred ${bytes} bytes`);
    } finally {
      await context.close();
    }
  });
});
