// Listens on the loopback interfaces only, never on the network: 127.0.0.1 always, and ::1 too when
// the machine has IPv6 loopback (a browser may resolve "localhost" to either).
import fs from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

function listenOnce(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (err) => reject(err);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets (browsers hold them open) would otherwise keep close() waiting.
    server.closeAllConnections();
  });
}

/**
 * Serves `handler` on http://localhost:`port`. Rejects with a clear Error (code EADDRINUSE)
 * when the port is taken. Returns { close() }.
 */
export async function listenLoopback(handler, port, name) {
  const servers = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = http.createServer(handler);
    try {
      await listenOnce(server, port, host);
      servers.push(server);
    } catch (err) {
      if (host === '::1' && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map(closeServer));
      if (err.code === 'EADDRINUSE') {
        const busy = new Error(
          `${name}: port ${port} is already in use on ${host}. ` +
          'Another spa-auth server (scripts/servers.mjs, a test run) or some other program holds it; stop it first.',
        );
        busy.code = 'EADDRINUSE';
        throw busy;
      }
      throw err;
    }
  }
  return { close: () => Promise.all(servers.map(closeServer)).then(() => undefined) };
}

/** True when this module was started as `node <file>` rather than imported. */
export function isMain(importMetaUrl) {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(importMetaUrl));
  } catch {
    return false;
  }
}

/**
 * When the module at `importMetaUrl` was started as `node <file>`: starts it with `start()`,
 * prints `describe(started)`, and stops it on SIGINT/SIGTERM; exits 1 with a clear message when
 * it cannot start (a taken port, say).
 */
export async function runAsMain(importMetaUrl, start, describe) {
  if (!isMain(importMetaUrl)) return;
  try {
    const started = await start();
    console.log(describe(started));
    const stop = async () => {
      await started.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    console.error(err.code === 'EADDRINUSE' ? err.message : err);
    process.exit(1);
  }
}
