// Builds the two pages the warehouse host serves (src/Api/Http/StaticSite.cs): the dashboard (index.html) and
// GraphiQL (graphiql.html), with every script, style and font bundled into dist/assets — nothing is loaded from
// elsewhere at run time, so the pages work offline. dist/ is committed; ./build.sh rebuilds it.
import { defineConfig } from 'vite';
import { sourceDigest, stripWebFonts, thirdPartyLicenses } from './tools/build-plugins.js';

// `npm run dev` serves the sources with hot reload and sends /graphql to a running host (gaugenn serve or demo).
const host = process.env.GAUGENN_URL ?? 'http://127.0.0.1:8642';
const proxy = { '/graphql': host, '/healthz': host, '/download': host };

export default defineConfig({
  base: '/',
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // GraphiQL with React and CodeMirror is one ~1 MB chunk by design; the dashboard stays far below this.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: { index: 'index.html', graphiql: 'graphiql.html' },
      // GraphiQL's dependencies mark modules "use client" for React Server Components; meaningless in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  plugins: [stripWebFonts(), thirdPartyLicenses(), sourceDigest()],
});
