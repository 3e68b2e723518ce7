// Opens the GraphQL IDE that the running API serves at /graphql, as a person would: in Chromium, type a query, press
// Run, read the answer. Needs KG_BASE_URL (tests/browser/run.sh starts the API and sets it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const baseUrl = (process.env.KG_BASE_URL ?? '').replace(/\/+$/, '');
const chromiumPath = process.env.KG_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
// A cold Chromium and a first IDE load take a while on a 2-core machine.
const timeout = Number(process.env.KG_BROWSER_TIMEOUT_MS ?? 60_000);

// What a browser sends when it navigates to a page.
const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

if (!baseUrl) {
  throw new Error('KG_BASE_URL is not set: run tests/browser/run.sh, or start the API and set KG_BASE_URL=http://127.0.0.1:PORT');
}

/** KG_QUERY/KG_EXPECT when given; otherwise the entity query once the schema has it, else one any schema answers. */
async function chooseQuery() {
  if (process.env.KG_QUERY) {
    return { query: process.env.KG_QUERY, expect: process.env.KG_EXPECT ?? '"data"' };
  }

  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: '{ __schema { queryType { fields { name } } } }' }),
  });
  // The IDE sends its queries the same way, so without an answer here the browser part cannot pass either.
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`POST ${baseUrl}/graphql answered ${response.status} without JSON; is the GraphQL transport mapped? ${text.slice(0, 200)}`);
  }
  const fields = body?.data?.__schema?.queryType?.fields?.map((field) => field.name) ?? [];
  return fields.includes('entity')
    ? { query: '{ entity(key: "whatsapp") { name } }', expect: 'WhatsApp' }
    : { query: '{ __typename }', expect: '"Query"' };
}

/** Presses Run until the IDE posts `query` to the service; returns false if it never does. */
async function runUntilSent(page, query) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const posted = page.waitForRequest((request) => request.method() === 'POST'
      && new URL(request.url()).pathname.endsWith('/graphql')
      && !(request.postData() ?? '').includes('IntrospectionQuery'));
    await page.getByRole('button', { name: /^Run Operation/ }).click();
    const request = await posted;
    if (JSON.parse(request.postData() ?? '{}').query === query) {
      return true;
    }

    await page.waitForTimeout(500);
  }

  return false;
}

describe('GET /graphql', () => {
  test('answers a browser with the IDE page, its assets under /graphql/ide/', async () => {
    const response = await fetch(`${baseUrl}/graphql`, { headers: { Accept: browserAccept } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.headers.get('vary') ?? '', /accept/i);
    const html = await response.text();
    const script = html.match(/src="([^"]*\/main\.[^"]+\.js)"/)?.[1];
    assert.ok(script?.startsWith('/graphql/ide/static/js/'), `main script should load from /graphql/ide/, was ${script}`);
    const asset = await fetch(new URL(script, baseUrl));
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  });

  test('gives the IDE its own endpoint and turns its telemetry off', async () => {
    const response = await fetch(`${baseUrl}/graphql/bcp-config.json`);
    assert.equal(response.status, 200);
    const config = await response.json();
    assert.equal(config.useBrowserUrlAsEndpoint, true);
    assert.equal(config.disableTelemetry, true);
    assert.equal(config.gaTrackingId, undefined);
  });

  for (const [name, url, accept] of [
    ['a JSON Accept', '/graphql', 'application/json'],
    ['a GraphQL response Accept', '/graphql', 'application/graphql-response+json'],
    ['a query parameter, even from a browser', '/graphql?query=%7B__typename%7D', browserAccept],
  ]) {
    test(`leaves a GET with ${name} to the GraphQL transport`, async () => {
      const response = await fetch(`${baseUrl}${url}`, { headers: { Accept: accept } });
      assert.doesNotMatch(response.headers.get('content-type') ?? '', /^text\/html/);
    });
  }
});

describe('the IDE in Chromium', () => {
  let browser;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
  });

  test('runs a query against this service and shows the answer', async () => {
    const { query, expect } = await chooseQuery();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(timeout);
    const origin = new URL(baseUrl).origin;
    const elsewhere = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && url.origin !== origin) {
        elsewhere.push(request.url());
      }
    });

    try {
      await page.goto(`${baseUrl}/graphql`);
      await page.getByRole('button', { name: /^Create Document/ }).click();

      // The innermost element holding both the pane's heading and an editor is the pane itself.
      const pane = (heading) => page
        .locator('div')
        .filter({ has: page.getByRole('heading', { name: heading, exact: true }) })
        .filter({ has: page.locator('.monaco-editor') })
        .last();

      const editor = pane('Request').locator('.monaco-editor').first();
      await editor.click();
      await page.keyboard.press('ControlOrMeta+A');
      // insertText, not type: Monaco would otherwise add a second closing brace after each one typed.
      await page.keyboard.insertText(query);
      await pane('Request').locator('.view-lines', { hasText: query.slice(0, 8) }).waitFor();

      // The IDE copies the editor into the document it sends only after a pause in typing (about a second here); a
      // Run before that posts the previous, empty text. A person is slower than that; the test watches what Run
      // actually sends and presses it again until it is the query.
      const sent = await runUntilSent(page, query);
      assert.ok(sent, `Run never sent ${query}`);
      const answer = pane('Response').locator('.view-lines', { hasText: expect });
      await answer.waitFor();
      await pane('Response').locator('.view-lines', { hasText: '"data"' }).waitFor();

      const shown = (await pane('Response').locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      assert.ok(shown.includes(expect), `response pane should show ${expect}, shows:\n${shown}`);
      assert.ok(!/"errors"/.test(shown), `response pane shows errors:\n${shown}`);
      assert.deepEqual(elsewhere, [], 'the IDE should contact no origin but this service');
    } finally {
      await page.screenshot({ path: path.join(artifacts, 'ide-query.png') });
      await page.close();
    }
  });
});
