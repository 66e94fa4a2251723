// The spa-auth demo page. Everything is written with textContent (never innerHTML), and tokens
// are never shown: only their kind and length.
const CONFIG = {
  issuer: 'http://localhost:3000',
  clientId: 'spa-test',
  responseType: 'code', // the default, spelled out: authorization code + PKCE (S256)
  redirectUri: `${location.origin}/`,
  audience: 'https://api.example.test/',
  scope: 'openid profile email read:messages',
};

const $ = (id) => document.getElementById(id);
let auth;
let current; // the AuthResult on display

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(kind, text) {
  const status = $('status');
  status.className = `pill pill-${kind}`;
  status.textContent = text;
}

function log(kind, text) {
  const item = el('li', `log-${kind}`);
  item.append(el('time', '', new Date().toLocaleTimeString()), el('span', '', text));
  $('log').prepend(item);
}

// The SDK's errors carry an OAuth-style code and a description.
function logError(where, e) {
  const code = e?.error ?? e?.name ?? 'error';
  const description = e?.errorDescription ?? e?.message ?? String(e);
  log('error', `${where} failed: ${code} — ${description}`);
}

function describeToken(token) {
  if (!token) return '—';
  const kind = token.split('.').length === 3 ? 'JWT' : 'opaque';
  return `${kind} · ${token.length} characters`;
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('') || '?';
}

function showResult(result, source) {
  current = result;
  const signedIn = Boolean(result);
  $('signed-in').hidden = !signedIn;
  $('signed-out').hidden = signedIn;
  $('claims').hidden = !signedIn;
  $('btn-login').disabled = !auth || signedIn;
  $('btn-renew').disabled = !auth;
  $('btn-logout').disabled = !signedIn;
  $('btn-api').disabled = !auth;
  $('auto-renew').disabled = !signedIn;

  const claims = $('claims');
  claims.replaceChildren();
  const scopes = $('scopes');
  scopes.replaceChildren();
  if (!signedIn) {
    scopes.append(el('span', 'muted', '—'));
    $('at-info').textContent = '—';
    $('id-info').textContent = '—';
    $('source').textContent = '—';
    updateCountdown();
    return;
  }

  const p = result.idTokenPayload ?? {};
  const name = String(p.name ?? p.sub ?? 'unknown');
  $('avatar').textContent = initials(name);
  $('user-name').textContent = name;
  $('user-email').textContent = p.email ?? '';
  $('user-verified').hidden = p.email_verified !== true;
  for (const key of ['sub', 'iss', 'aud', 'auth_time']) {
    if (p[key] === undefined) continue;
    const value = key === 'auth_time' ? new Date(p[key] * 1000).toLocaleString() : String(p[key]);
    claims.append(el('dt', '', key), el('dd', '', value));
  }

  const granted = (result.scope ?? '').split(' ').filter(Boolean);
  if (granted.length) granted.forEach((s) => scopes.append(el('span', 'chip', s)));
  else scopes.append(el('span', 'muted', '(none reported)'));
  $('at-info').textContent = describeToken(result.accessToken);
  $('id-info').textContent = describeToken(result.idToken);
  $('source').textContent = source;
  updateCountdown();
}

function updateCountdown() {
  const fill = $('bar-fill');
  if (!current?.expiresAt) {
    $('countdown').textContent = '—';
    fill.style.width = '0%';
    return;
  }
  const left = Math.max(0, current.expiresAt - Date.now());
  const total = (current.expiresIn ?? 3600) * 1000;
  const s = Math.floor(left / 1000);
  $('countdown').textContent = left ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : 'expired';
  fill.style.width = `${Math.min(100, (left / total) * 100)}%`;
  fill.classList.toggle('low', left < total * 0.2);
}

function showApi(status, body, note) {
  $('api-empty').hidden = true;
  $('api-result').hidden = false;
  const code = $('api-code');
  code.textContent = `HTTP ${status}`;
  code.className = `pill ${status === 200 ? 'pill-ok' : 'pill-error'}`;
  $('api-note').textContent = note;
  const list = $('api-messages');
  list.replaceChildren();
  if (Array.isArray(body?.messages)) body.messages.forEach((m) => list.append(el('li', '', m.text)));
  else if (body?.error) list.append(el('li', 'err', `${body.error}: ${body.error_description ?? ''}`));
}

async function run(button, what, action) {
  button.disabled = true;
  button.classList.add('busy');
  try {
    await action();
  } catch (e) {
    logError(what, e);
  } finally {
    button.classList.remove('busy');
    button.disabled = false;
    showResult(auth?.authResult ?? current, $('source').textContent);
  }
}

function wireButtons() {
  $('btn-login').addEventListener('click', (ev) => run(ev.currentTarget, 'Log in', async () => {
    log('info', 'redirecting to the provider…');
    await auth.authorize({ appState: { from: location.pathname } });
  }));

  $('btn-renew').addEventListener('click', (ev) => run(ev.currentTarget, 'Silent renewal', async () => {
    const result = await auth.checkSession({ timeout: 10_000 });
    showResult(result, 'checkSession (hidden iframe, code + PKCE)');
    log('ok', 'renewed silently, no page reload');
  }));

  $('btn-api').addEventListener('click', (ev) => run(ev.currentTarget, 'API call', async () => {
    const res = await auth.fetch('/api/messages');
    const body = await res.json().catch(() => null);
    showApi(res.status, body, res.ok ? `as ${body.sub}` : (res.headers.get('www-authenticate') ?? ''));
    log(res.ok ? 'ok' : 'error', `GET /api/messages → ${res.status}`);
  }));

  $('btn-logout').addEventListener('click', (ev) => run(ev.currentTarget, 'Log out', async () => {
    log('info', 'logging out at the provider…');
    await auth.logout({ returnTo: `${location.origin}/` });
  }));

  $('auto-renew').addEventListener('change', (ev) => {
    if (ev.currentTarget.checked) {
      auth.startAutoRenew({
        secondsBeforeExpiry: 60,
        onRenewed: (r) => {
          showResult(r, 'automatic renewal');
          log('ok', 'tokens renewed automatically');
        },
        onRenewFailed: (e) => logError('Automatic renewal', e),
      });
      log('info', 'automatic renewal on (60 s before expiry)');
    } else {
      auth.stopAutoRenew();
      log('info', 'automatic renewal off');
    }
  });
}

async function main() {
  $('cfg-issuer').textContent = CONFIG.issuer;
  $('cfg-client').textContent = CONFIG.clientId;
  $('cfg-audience').textContent = CONFIG.audience;
  $('cfg-flow').textContent = 'authorization code + PKCE (S256), no refresh token';
  // The registrable domain, roughly: the last two labels of a name, an IP address whole.
  const site = (host) => (/^[\d.]+$|^\[/.test(host) ? host : host.split('.').slice(-2).join('.'));
  const sameSite = site(location.hostname) === site(new URL(CONFIG.issuer).hostname);
  $('cfg-site').textContent = sameSite
    ? 'same site as the provider (the iframe sees its session)'
    : 'another site than the provider (third-party cookies: the iframe cannot see its session)';
  setInterval(updateCountdown, 1000);

  let sdk;
  try {
    sdk = await import('/pkg/spa_auth.js');
    await sdk.default();
  } catch (e) {
    setStatus('error', 'spa-auth package missing');
    log('error', `could not load /pkg/spa_auth.js (${e.message}); build it with scripts/demo.sh`);
    return;
  }
  setStatus('ok', 'spa-auth loaded (wasm)');

  try {
    auth = new sdk.WebAuth(CONFIG);
  } catch (e) {
    logError('Configuration', e);
    return;
  }
  wireButtons();
  showResult(undefined);

  // The app's other tabs share the session: tokens taken from one of them (no iframe), or the
  // session ended there (logout, clearSession).
  auth.onSessionChange((result) => {
    if (result) {
      showResult(result, 'shared by another tab (no iframe)');
      log('ok', 'tokens from another tab');
    } else {
      showResult(undefined);
      $('auto-renew').checked = false;
      $('restore').textContent = 'session ended in another tab';
      log('info', 'signed out in another tab');
    }
  });

  // At page load, the session wherever it is, without a provider page: the login response in
  // the URL, the tokens another tab holds, the provider's session through a hidden iframe, or,
  // when the iframe cannot work (the provider on another site while the browser blocks
  // third-party cookies), one top-level prompt=none redirect, after which this page loads again
  // and this call answers.
  try {
    const result = await auth.restoreSession({ timeout: 10_000 });
    $('restore').textContent = result ? RESTORED_BY[result.restoredBy] : 'no session';
    if (result?.redirectReason) {
      $('restore').textContent += ` — ${REASONS[result.redirectReason] ?? result.redirectReason}`;
    }
    if (result) {
      showResult(result, RESTORED_BY[result.restoredBy]);
      log('ok', `signed in as ${result.idTokenPayload?.name ?? result.idTokenPayload?.sub} (${result.restoredBy})`);
    } else {
      log('info', 'no provider session: log in');
    }
  } catch (e) {
    $('restore').textContent = REASONS[e?.reason] ?? 'failed';
    logError('restoreSession', e);
  }
}

const RESTORED_BY = {
  url: 'login redirect (code exchanged with its PKCE verifier)',
  memory: 'tokens held by this page',
  tab: 'tokens shared by another tab',
  iframe: 'session restored silently (hidden iframe)',
  redirect: 'session restored by one top-level prompt=none redirect',
};

const REASONS = {
  session_ended: 'the provider session ended',
  third_party_cookies_blocked: 'the provider is on another site and the browser blocks third-party cookies',
  frame_refused: 'the provider refuses to be framed',
  cross_origin_isolated: 'this page is cross-origin isolated',
  interaction_required: 'the provider needs the user',
};

main();
