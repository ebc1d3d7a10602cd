import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Go server (`go run .` in the repository root) listens here in development.
const backend = process.env.LEDGERLINK_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/graphql': backend,
      '/auth': backend,
      '/monitoring': backend,
      '/healthz': backend,
      '/qbwc': backend,
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    unstubGlobals: true,
    restoreMocks: true,
    // jsdom renders slowly on a busy 2-core machine; a wait is not a failure.
    testTimeout: 30_000,
  },
});
