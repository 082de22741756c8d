import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The hub serves `dist/` at `/` and the API same-origin under `/api/v1`.
 * For `npm run dev -w admin-ui`, point BASCULE_HUB at a running hub (self-signed CA, hence `secure: false`).
 */
const hub = process.env.BASCULE_HUB ?? 'https://127.0.0.1:8443';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: hub, secure: false, changeOrigin: true },
    },
  },
});
