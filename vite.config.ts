import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { metaContentSecurityPolicy } from './electron/security';

/** The built page carries the CSP as a meta tag too (the shells also send it as a header). */
const cspMetaTag: Plugin = {
  name: 'csp-meta-tag',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy() },
      injectTo: 'head-prepend',
    },
  ],
};

// The renderer is served by the host (browser mode) or loaded from disk by Electron, so asset paths are
// relative and nothing is inlined into index.html (the CSP allows our own files only).
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), cspMetaTag],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
