// The page logic every consumer app shares. It imports nothing: each app imports `init` and
// `WebAuth` from 'spa-auth' its own way (Vite, webpack, esbuild, an import map), which is what the
// consumer tests check, and passes them in. The page finishes a login when the URL holds a
// response, and offers login and silent renewal to the tests (window.consumer). It shows the
// user's name, never a token.
export async function startApp({ bundler, init, WebAuth, initArg }) {
  const status = document.getElementById('status');
  const show = (text) => {
    status.textContent = `${bundler}: ${text}`;
  };
  try {
    await init(initArg); // fetches and instantiates spa_auth_bg.wasm
    const auth = new WebAuth({
      issuer: 'http://localhost:3000',
      clientId: 'spa-test',
      redirectUri: new URL('./', location.href).href, // this app's folder, e.g. /consumers/vite/
      audience: 'https://api.example.test/',
      scope: 'openid profile email read:messages',
    });
    // For the tests: the SDK's results stay in memory, on this object.
    window.consumer = {
      bundler,
      auth,
      result: null,
      login: () => auth.authorize(),
      async renew() {
        this.result = await auth.checkSession({ timeout: 10_000 });
        show(`renewed silently for ${this.result.idTokenPayload.sub}`);
        return this.result;
      },
    };
    document.getElementById('login').addEventListener('click', () => window.consumer.login());
    window.consumer.result = await auth.parseHash();
    show(window.consumer.result ? `signed in as ${window.consumer.result.idTokenPayload.sub}` : 'signed out');
  } catch (e) {
    show(`failed: ${e.error ?? e.name}: ${e.errorDescription ?? e.message}`);
    window.consumerError = { error: e.error ?? e.name, errorDescription: e.errorDescription ?? e.message };
  }
  window.consumerReady = true;
}
