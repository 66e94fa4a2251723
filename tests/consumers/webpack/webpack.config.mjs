// Served by the dev app server at /consumers/webpack/ (test mode), from dist/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  entry: './src/main.js',
  output: { path: path.join(here, 'dist'), filename: 'main.js', clean: true },
  stats: 'errors-warnings',
};
