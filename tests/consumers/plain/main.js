// A plain module page: the glue finds the wasm itself, next to it, with
// new URL('spa_auth_bg.wasm', import.meta.url).
import init, { WebAuth } from 'spa-auth';
import { startApp } from './app.js';

startApp({ bundler: 'plain', init, WebAuth });
