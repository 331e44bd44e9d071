import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into ui/dist, which src-tauri/tauri.conf.json embeds (build.frontendDist).
// No inline scripts or styles are emitted, so the window's strict CSP holds.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { host: '127.0.0.1', port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari16',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
