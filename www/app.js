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
  $('btn-login').disabled = false;
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
      log('info', 'signed out in another tab');
    }
  });

  // Back from the provider? parseHash() verifies the response and cleans the URL.
  try {
    const result = await auth.parseHash();
    if (result) {
      showResult(result, 'login redirect (code exchanged with its PKCE verifier)');
      log('ok', `signed in as ${result.idTokenPayload?.name ?? result.idTokenPayload?.sub}`);
      return;
    }
    log('info', 'parseHash: no authorization response in the URL');
  } catch (e) {
    logError('parseHash', e);
    return;
  }

  // Otherwise try to resume the session: another tab's tokens if one holds them, else an existing
  // provider session, without any visible redirect.
  try {
    const result = await auth.checkSession({ timeout: 5000 });
    // onSessionChange has shown tokens another tab shared; otherwise they came from the iframe.
    if ($('source').textContent === '—') {
      showResult(result, 'session restored (checkSession, hidden iframe)');
      log('ok', 'existing provider session found');
    }
  } catch (e) {
    if (e?.error === 'login_required') log('info', 'no provider session yet: log in');
    else logError('Session check', e);
  }
}

main();
