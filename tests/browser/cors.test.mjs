// A front end on another origin calls the API from the browser with fetch, as a React or Vue app would: a page from
// the origin run.sh listed in Cors:AllowedOrigins reads the answer; a page from an unlisted origin is blocked by the
// browser itself. Needs KG_BASE_URL and KG_CORS_ALLOWED_PORT (tests/browser/run.sh sets both).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chromium } from 'playwright-core';

const baseUrl = (process.env.KG_BASE_URL ?? '').replace(/\/+$/, '');
const allowedPort = Number(process.env.KG_CORS_ALLOWED_PORT ?? 0);
const chromiumPath = process.env.KG_CHROMIUM ?? '/usr/bin/chromium';
const timeout = Number(process.env.KG_BROWSER_TIMEOUT_MS ?? 60_000);

if (!baseUrl || !allowedPort) {
  throw new Error('KG_BASE_URL and KG_CORS_ALLOWED_PORT are not set: run tests/browser/run.sh');
}

/** A page server on a loopback port: one empty page, the origin the browser's fetch comes from. */
function servePage(port) {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html lang="en"><title>front end</title><body>front end</body></html>');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** What the page's own script gets from a GraphQL POST to the API, with a key and a preflight header. */
async function fetchFromPage(page) {
  return page.evaluate(async (url) => {
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/graphql-response+json',
          'GraphQL-Require-Preflight': '1',
        },
        body: JSON.stringify({ query: '{ entity(key: "signal") { name } }' }),
      });
      return { ok: true, status: response.status, cache: response.headers.get('X-Cache'), body: await response.json() };
    } catch (error) {
      return { ok: false, error: String(error) };
    }
  }, baseUrl);
}

describe('a front end on another origin', { timeout }, () => {
  let browser;
  let allowed;
  let unlisted;

  before(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    allowed = await servePage(allowedPort);
    unlisted = await servePage(0);
  });

  after(async () => {
    await browser?.close();
    allowed?.close();
    unlisted?.close();
  });

  test('reads the answer when its origin is listed', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${allowedPort}/`);
    const result = await fetchFromPage(page);
    assert.equal(result.ok, true, result.error);
    assert.equal(result.status, 200);
    assert.equal(result.body.data.entity.name, 'Signal');
    assert.match(result.cache ?? '', /^(HIT|MISS)$/);
    await page.close();
  });

  test('is blocked by the browser when its origin is not listed', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${unlisted.address().port}/`);
    const result = await fetchFromPage(page);
    assert.equal(result.ok, false);
    assert.match(result.error, /TypeError: Failed to fetch/);
    await page.close();
  });
});
