// Starts the dev environment in this process: the local OpenID provider (localhost:3000) and the
// app server (localhost:8080). The demo (scripts/demo.sh), the end-to-end tests and the benchmark
// all start it here.
//
//   node dev/start.mjs                # the demo; Ctrl-C stops both servers
//   node dev/start.mjs --test-mode    # also the test and bench pages and the test hooks
//   const env = await startDevEnv({ testMode: true }); … await env.close();
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startAppServer } from './app-server.mjs';
import { APP_PORT, PROVIDER, PROVIDER_PORT } from './constants.mjs';
import { startProvider } from './provider.mjs';

/**
 * Starts the provider and the app server; `testMode` adds the test and bench pages and the test
 * hooks (see dev/app-server.mjs and dev/provider.mjs). The provider can be stopped and started again on its own, for
 * tests of an unreachable provider. Returns { provider, app, stopProvider(), startProvider(), close() }.
 */
export async function startDevEnv({ testMode = false } = {}) {
  let provider = await startProvider({ port: PROVIDER_PORT, testMode });
  let app;
  try {
    app = await startAppServer({ port: APP_PORT, providerUrl: PROVIDER, testMode });
  } catch (err) {
    await provider.close();
    throw err;
  }
  return {
    get provider() {
      return provider;
    },
    app,
    async stopProvider() {
      await provider?.close();
      provider = undefined;
    },
    async startProvider() {
      provider ??= await startProvider({ port: PROVIDER_PORT, testMode });
    },
    async close() {
      await app.close();
      await provider?.close();
    },
  };
}

/** True when this module was started as `node dev/start.mjs` rather than imported. */
function isMain() {
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    const env = await startDevEnv({ testMode: process.argv.includes('--test-mode') });
    console.log(`OpenID provider: ${env.provider.url}  (dev login: any login and password, e.g. "ada")`);
    console.log(`Demo: ${env.app.url}/`);
    console.log('Press Ctrl-C to stop.');
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.once(signal, async () => {
        console.log(`\n${signal}: stopping the servers…`);
        await env.close();
        process.exit(0);
      });
    }
  } catch (err) {
    console.error(err.code === 'EADDRINUSE' ? err.message : err);
    process.exit(1);
  }
}
