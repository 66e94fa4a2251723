// esbuild does not follow `new URL(…, import.meta.url)`, so the app imports the wasm itself: the
// `file` loader (--loader:.wasm=file) copies it to dist/ as spa_auth_bg-[hash].wasm and gives its
// path, which init() then fetches. (Without the loader: copy node_modules/spa-auth/spa_auth_bg.wasm
// next to the bundle and call init() without an argument.)
import init, { WebAuth } from 'spa-auth';
import wasmPath from 'spa-auth/spa_auth_bg.wasm';
import { startApp } from '../../shared/app.js';

startApp({ bundler: 'esbuild', init, WebAuth, initArg: { module_or_path: new URL(wasmPath, import.meta.url) } });
