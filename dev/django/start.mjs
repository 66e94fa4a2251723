// The second real OpenID Provider of the end-to-end tests: django-oauth-toolkit 3.x (dev/django),
// on http://localhost:PORT with issuer http://localhost:PORT/o, a fresh sqlite database and a fresh
// RS256 key per start, the users of DJANGO_USERS and the public client DJANGO_CLIENT_ID.
//
//   import { startDjangoProvider } from '../../dev/django/start.mjs';
//   const provider = await startDjangoProvider();   // { url, issuer, close() }
//
// Or by hand (Ctrl-C stops it): node dev/django/start.mjs [port]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = path.dirname(fileURLToPath(import.meta.url));

export const DJANGO_CLIENT_ID = 'spa-django';
/** Login → password; the same as in provider/management/commands/runprovider.py. */
export const DJANGO_USERS = { ada: 'ada-password', alan: 'alan-password' };

const READY_TIMEOUT_MS = 30_000;

function run(command, args) {
  return new Promise((resolve, reject) => {
    // stdout goes to our stderr: under `node --test` our stdout is the test report.
    const child = spawn(command, args, { stdio: ['ignore', 2, 2] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Whether something already accepts connections on the port (on either loopback address). */
function portAnswers(port) {
  const probe = (host) => new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
  return Promise.all(['127.0.0.1', '::1'].map(probe)).then((answers) => answers.includes(true));
}

/**
 * Installs the venv when needed (setup.sh), starts the provider and resolves once its discovery
 * document answers with the expected issuer. `log: true` copies the server's output to stderr;
 * otherwise its last lines are kept for the error message should it fail to start.
 */
export async function startDjangoProvider({ port = 8000, log = false } = {}) {
  const url = `http://localhost:${port}`;
  const issuer = `${url}/o`;
  await run('bash', [path.join(DIR, 'setup.sh')]);
  // Without this check, the wait below could succeed against another server that holds the port.
  if (await portAnswers(port)) {
    const busy = new Error(`django-oauth-toolkit provider: port ${port} is already in use; stop whatever holds it first.`);
    busy.code = 'EADDRINUSE';
    throw busy;
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-auth-django-'));
  const child = spawn(path.join(DIR, '.venv', 'bin', 'python'), ['manage.py', 'runprovider', '--exit-on-stdin-eof'], {
    cwd: DIR,
    // Its own process group, so that close() can end everything it started; its stdin is a pipe
    // that closes when this process dies, however it dies, and the server then exits.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DJANGO_PROVIDER_PORT: String(port),
      DJANGO_PROVIDER_DB: path.join(dataDir, 'db.sqlite3'),
      PYTHONUNBUFFERED: '1',
    },
  });
  const tail = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      if (log) process.stderr.write(chunk);
      tail.push(...chunk.split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 40));
    });
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let running = true;
  exited.then(() => { running = false; });
  const killGroup = (signal) => {
    if (!running) return;
    try {
      process.kill(-child.pid, signal);
    } catch (err) {
      if (err.code !== 'ESRCH') throw err;
    }
  };
  const killOnExit = () => {
    killGroup('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let closing;
  const close = () => {
    closing ??= (async () => {
      process.off('exit', killOnExit);
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!running) {
      const { code, signal } = await exited;
      await close();
      throw new Error(`django-oauth-toolkit provider exited (${signal ?? code}) before answering:\n${tail.join('\n')}`);
    }
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok && (await res.json()).issuer === issuer) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`django-oauth-toolkit provider did not answer within ${READY_TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, issuer, close };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let provider;
  // Registered first: a signal during the start then still goes through the 'exit' clean-up.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      await provider?.close();
      process.exit(0);
    });
  }
  provider = await startDjangoProvider({ port: Number(process.argv[2] ?? 8000), log: true });
  console.log(`django-oauth-toolkit provider: ${provider.issuer} (client ${DJANGO_CLIENT_ID}; users ${Object.keys(DJANGO_USERS).join(', ')})`);
}
