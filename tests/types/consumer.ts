// Compiled with `tsc --strict --noEmit` by the test command: the published types describe the API
// a JavaScript app uses, and reject what the API rejects.
import init, { WebAuth } from '../../pkg/spa_auth.js';
import type {
  AuthError, AuthResult, CheckSessionOptions, RestoreSessionOptions, SilentFailureReason, WebAuthOptions,
} from '../../pkg/spa_auth.js';

export async function example(): Promise<string | undefined> {
  await init();
  const options: WebAuthOptions = {
    issuer: 'http://localhost:3000',
    clientId: 'spa-test',
    redirectUri: 'http://localhost:8080/',
    audience: 'https://api.example.test/',
    scope: 'openid profile email read:messages',
    algorithms: ['RS256', 'ES256'],
  };
  const auth = new WebAuth(options);
  await auth.authorize({ appState: { returnTo: '/orders' }, extraParams: { screen_hint: 'signup' } });
  const url: string = await auth.buildAuthorizeUrl({ prompt: 'login', maxAge: 0 });
  const result: AuthResult | null = await auth.parseHash({ hash: new URL(url).hash });
  const silent: CheckSessionOptions = { timeout: 10_000, responseMode: 'web_message' };
  const renewed: AuthResult = await auth.checkSession(silent);
  const expired: boolean = auth.isExpired();
  const restoreOptions: RestoreSessionOptions = { timeout: 10_000, appState: { returnTo: '/orders' } };
  const restored: AuthResult | null = await auth.restoreSession(restoreOptions);
  const by: 'url' | 'memory' | 'tab' | 'iframe' | 'redirect' | undefined = restored?.restoredBy;
  const why: SilentFailureReason | undefined = restored?.redirectReason;
  new WebAuth({ ...options, silentFallback: 'none' });
  // @ts-expect-error silentFallback is 'redirect' or 'none'
  new WebAuth({ ...options, silentFallback: 'popup' });
  auth.startAutoRenew({
    secondsBeforeExpiry: 60,
    onRenewed: (r: AuthResult) => r.expiresAt,
    onRenewFailed: (e: AuthError) => e.reason ?? e.errorDescription,
  });
  const response: Response = await auth.fetch('/api/messages', { method: 'GET' });
  await auth.logout({ returnTo: 'http://localhost:8080/' });
  auth.clearSession();
  auth.stopAutoRenew();
  auth.onSessionChange((r: AuthResult | null) => r?.idTokenPayload.sub);
  auth.onSessionChange(null);
  new WebAuth({ ...options, shareAcrossTabs: false });
  // @ts-expect-error shareAcrossTabs is a boolean
  new WebAuth({ ...options, shareAcrossTabs: 'no' });
  new WebAuth({ ...options, responseType: 'code' });
  new WebAuth({ ...options, responseType: 'id_token token' });
  await auth.parseHash({ timeout: 10_000 });
  // @ts-expect-error responseType is one of the three supported values
  new WebAuth({ ...options, responseType: 'token' });
  // @ts-expect-error clientId is required
  new WebAuth({ issuer: 'http://localhost:3000', redirectUri: 'http://localhost:8080/' });
  const sub: unknown = renewed.idTokenPayload.sub;
  return expired || !response.ok ? undefined : String(sub ?? result?.state ?? by ?? why);
}
