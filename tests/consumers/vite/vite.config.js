// Served by the dev app server at /consumers/vite/ (test mode), from dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/consumers/vite/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true },
});
