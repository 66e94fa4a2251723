// Packs pkg/ with `npm pack` and installs the tarball into each consumer app the way a user would
// (`npm install --no-save <tarball>`), then builds the app into its dist/. Idempotent and cached:
// `npm ci` runs only when an app's package-lock.json changed, the tarball is installed only when
// its bytes changed (npm pack is reproducible), and npm's own cache serves repeated installs.
//
//   node tests/consumers/prepare.mjs [app…]     (default: every app; prints what it did)
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONSUMER_APPS } from '../../dev/constants.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const PACKS = path.join(ROOT, 'target', 'npm-pack');
const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'];

export { CONSUMER_APPS };
export const appDir = (app) => path.join(HERE, app);

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const readStamp = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null);

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const out = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} (in ${path.relative(ROOT, cwd) || '.'}) failed:\n${out}`);
  }
}

/** `npm pack pkg/` into target/npm-pack/; returns the tarball's absolute path. */
export function packTarball() {
  if (!fs.existsSync(path.join(ROOT, 'pkg', 'package.json'))) {
    throw new Error('pkg/ is missing: build the package first (the release build step of scripts/test.sh)');
  }
  fs.mkdirSync(PACKS, { recursive: true });
  const [{ filename }] = JSON.parse(run('npm', ['pack', path.join(ROOT, 'pkg'), '--pack-destination', PACKS, '--json', '--loglevel=error'], ROOT));
  return path.join(PACKS, path.basename(filename));
}

/** Installs the app's pinned tools (npm ci, when its lock changed) and the tarball (when it changed). Returns what ran. */
export function install(app, tarball) {
  const dir = appDir(app);
  const did = [];
  const lockStamp = path.join(dir, 'node_modules', '.consumer-lock.sha256');
  const lock = sha256(path.join(dir, 'package-lock.json'));
  if (readStamp(lockStamp) !== lock) {
    run('npm', ['ci', ...NPM_QUIET], dir);
    fs.mkdirSync(path.dirname(lockStamp), { recursive: true });
    fs.writeFileSync(lockStamp, `${lock}\n`);
    did.push('npm ci');
  }
  const tarStamp = path.join(dir, 'node_modules', '.spa-auth-tarball.sha256');
  const tar = sha256(tarball);
  if (readStamp(tarStamp) !== tar || !fs.existsSync(path.join(dir, 'node_modules', 'spa-auth', 'package.json'))) {
    run('npm', ['install', '--no-save', ...NPM_QUIET, tarball], dir);
    fs.writeFileSync(tarStamp, `${tar}\n`);
    did.push(`npm install --no-save ${path.relative(dir, tarball)}`);
  }
  return did;
}

/** `npm run build` of the app: its dist/ is what the app server serves at /consumers/<app>/. */
export function build(app) {
  run('npm', ['run', 'build', '--silent'], appDir(app));
  const index = path.join(appDir(app), 'dist', 'index.html');
  if (!fs.existsSync(index)) throw new Error(`${app}: the build wrote no dist/index.html`);
  return fs.readdirSync(path.join(appDir(app), 'dist'), { recursive: true }).sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const apps = process.argv.length > 2 ? process.argv.slice(2) : CONSUMER_APPS;
  const tarball = packTarball();
  console.log(`packed ${path.relative(ROOT, tarball)}`);
  for (const app of apps) {
    const t0 = Date.now();
    const did = install(app, tarball);
    const files = build(app);
    console.log(`${app}: ${did.length ? did.join(', ') : 'installed already'}; built ${files.join(' ')} (${Date.now() - t0} ms)`);
  }
}
