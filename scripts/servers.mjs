// Starts the local OpenID provider (localhost:3000) and the demo app server (localhost:8080) in
// this process, waits until both answer, and stops both on Ctrl-C / SIGTERM.
//   node scripts/servers.mjs
import { startProvider } from '../www/provider/provider.mjs';
import { startAppServer } from '../www/server.mjs';

const PROVIDER_URL = 'http://localhost:3000';

async function waitForHttp(url, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const running = [];
async function stopAll() {
  await Promise.allSettled(running.splice(0).reverse().map((s) => s.close()));
}

try {
  const provider = await startProvider({ port: 3000 });
  running.push(provider);
  const app = await startAppServer({ port: 8080, providerUrl: PROVIDER_URL });
  running.push(app);
  await waitForHttp(`${provider.url}/.well-known/openid-configuration`);
  await waitForHttp(`${app.url}/`);

  console.log(`OpenID provider: ${provider.url}  (dev login: any login and password, e.g. "ada")`);
  console.log(`Demo: ${app.url}/`);
  console.log('Press Ctrl-C to stop.');
} catch (err) {
  console.error(err.code === 'EADDRINUSE' ? err.message : err);
  await stopAll();
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    console.log(`\n${signal}: stopping the servers…`);
    await stopAll();
    process.exit(0);
  });
}
