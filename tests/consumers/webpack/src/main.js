// webpack 5: no loader, no experiments. webpack treats the package's
// `new URL('spa_auth_bg.wasm', import.meta.url)` as an asset module: it emits [hash].wasm next
// to the bundle and resolves the URL at run time from the bundle's own address (publicPath auto).
import init, { WebAuth } from 'spa-auth';
import { startApp } from '../../shared/app.js';

startApp({ bundler: 'webpack', init, WebAuth });
