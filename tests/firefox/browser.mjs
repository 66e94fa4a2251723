// Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (Playwright drives only its
// own Firefox build, which cannot be downloaded here; puppeteer-core never downloads a browser).
import puppeteer from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

// puppeteer's Firefox profile turns cookie blocking off ('cookieBehavior0' in the standard
// content-blocking features). Put Firefox's own defaults back: Total Cookie Protection
// (network.cookie.cookieBehavior 5, third-party cookies partitioned by top-level site).
const FIREFOX_DEFAULT_PRIVACY = {
  'browser.contentblocking.features.standard': '',
  'network.cookie.cookieBehavior': 5,
};

/**
 * Firefox's storage-access heuristics off, as privacy-hardened configurations set them: then no
 * navigation through a login page grants a third party its unpartitioned cookies in a frame, and
 * Total Cookie Protection alone decides.
 */
export const STORAGE_ACCESS_HEURISTICS_OFF = {
  'privacy.restrict3rdpartystorage.heuristic.navigation': false,
  'privacy.restrict3rdpartystorage.heuristic.redirect': false,
  'privacy.restrict3rdpartystorage.heuristic.recently_visited': false,
  'privacy.restrict3rdpartystorage.heuristic.opened_window_after_interaction': false,
  'privacy.restrict3rdpartystorage.heuristic.window_open': false,
};

export function launchFirefox(prefs = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_DEFAULT_PRIVACY, ...prefs },
  });
}

/** Polls the page's URL until `predicate(URL)` holds. */
export async function waitForUrl(page, predicate, { timeout = 15_000, what = 'URL' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const url = new URL(page.url());
    if (predicate(url)) return url;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; at ${url.href}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
