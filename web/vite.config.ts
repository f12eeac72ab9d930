import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const api = process.env.TANDEM_API ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      // HTTP queries/mutations and graphql-ws subscriptions share the path.
      '/graphql': { target: api, changeOrigin: true, ws: true },
      '/oauth': { target: api, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  test: {
    environment: 'jsdom',
    environmentOptions: { jsdom: { url: 'http://localhost/' } },
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
