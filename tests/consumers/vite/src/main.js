// Vite: no plugin, no configuration for the wasm. Vite sees the package's
// `new URL('spa_auth_bg.wasm', import.meta.url)`, emits the file as assets/spa_auth_bg-[hash].wasm
// and rewrites the URL; init() fetches it from there.
import init, { WebAuth } from 'spa-auth';
import { startApp } from '../../shared/app.js';

startApp({ bundler: 'vite', init, WebAuth });
