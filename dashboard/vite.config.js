// Builds the dashboard into ../assets/dashboard, where the server embeds it by name:
// index.html, app.js and app.css, with stable names and no code-splitting.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const server = process.env.KETNAP_API ?? 'http://127.0.0.1:8097';

export default defineConfig({
  base: '/dashboard/',
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false })],
  build: {
    outDir: '../assets/dashboard',
    emptyOutDir: true,
    assetsDir: '',
    assetsInlineLimit: 0,
    modulePreload: false,
    cssCodeSplit: false,
    sourcemap: false,
    target: 'es2020',
    // ECharts is most of it (≈600 kB, ≈205 kB gzipped); one file is the point.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        entryFileNames: 'app.js',
        assetFileNames: 'app[extname]',
        codeSplitting: false, // one app.js: no chunks (rollup's inlineDynamicImports)
      },
    },
  },
  // The files sit flat in the output folder; the server serves them under /dashboard/assets/.
  experimental: {
    renderBuiltUrl: (filename) => `/dashboard/assets/${filename}`,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/graphql': { target: server, ws: true, changeOrigin: true },
      '/reports': { target: server, changeOrigin: true },
    },
  },
});
