// Listens on the loopback interfaces only, never on the network: 127.0.0.1 always, and ::1 too when
// the machine has IPv6 loopback (a browser may resolve "localhost" to either).
import http from 'node:http';

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
 * Serves `handler` on http://localhost:`port`; port 0 takes a free port (the same one on ::1).
 * Rejects with a clear Error (code EADDRINUSE) when the port is taken. Returns { port, close() }.
 */
export async function listenLoopback(handler, port, name) {
  const servers = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = http.createServer(handler);
    try {
      await listenOnce(server, servers[0]?.address().port ?? port, host);
      servers.push(server);
    } catch (err) {
      if (host === '::1' && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map(closeServer));
      if (err.code === 'EADDRINUSE') {
        const busy = new Error(
          `${name}: port ${port} is already in use on ${host}. ` +
          'Another spa-auth server (dev/start.mjs, a test run) or some other program holds it; stop it first.',
        );
        busy.code = 'EADDRINUSE';
        throw busy;
      }
      throw err;
    }
  }
  return {
    port: servers[0].address().port,
    close: () => Promise.all(servers.map(closeServer)).then(() => undefined),
  };
}
