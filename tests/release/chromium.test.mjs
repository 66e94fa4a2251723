// The release package (pkg/, built by wasm-pack with wasm-opt) instantiates and works in Debian's
// Chromium, on the e2e page of the app server in test mode. This catches a broken wasm-opt, which
// `wasm-pack test` never runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../dev/app-server.mjs';
import { E2E, launchBrowser, requirePkg, waitForReady } from '../e2e/harness.mjs';

let app;
let browser;
before(async () => {
  requirePkg();
  app = await startAppServer({ testMode: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

test('the release build loads in Chromium and builds an authorize URL with WebCrypto randomness', async () => {
  const page = await browser.newPage();
  const failures = [];
  page.on('pageerror', (e) => failures.push(e.message));
  await page.goto(E2E);
  await waitForReady(page);
  const outcome = await page.evaluate(async () => {
    const auth = new window.WebAuth({ domain: 'tenant.auth0.com', clientId: 'abc', redirectUri: 'https://app.example/cb' });
    const url = new URL(await auth.buildAuthorizeUrl());
    let configError;
    try {
      new window.WebAuth({ issuer: 'http://op.example', clientId: 'abc', redirectUri: 'https://app.example/cb' });
    } catch (e) {
      configError = { error: e.error, errorDescription: e.errorDescription };
    }
    return { origin: url.origin, state: url.searchParams.get('state'), configError, stored: Object.keys(sessionStorage) };
  });
  assert.deepEqual(failures, []);
  assert.equal(outcome.origin, 'https://tenant.auth0.com');
  assert.match(outcome.state, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(outcome.stored, [`spa-auth.tx.${outcome.state}`]);
  assert.equal(outcome.configError.error, 'invalid_configuration');
  assert.match(outcome.configError.errorDescription, /issuer must use https/);
  await page.close();
});
