// Builds the consumer app into build/consumer-vite/ (see tests/consumer/README.md).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'warn',
  resolve: { alias: { reelrank: here('../../../web/index.js') } },
  worker: { format: 'es' },
  build: { outDir: here('../../../build/consumer-vite'), emptyOutDir: true, target: 'es2022' },
});
