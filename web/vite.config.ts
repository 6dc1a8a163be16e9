/**
 * The dashboard's build: React code with Vite, written to `dist/web`, which the Railyard server
 * serves at `/`. `npx vite --config web/vite.config.ts` serves it and reloads on save, proxying
 * the API to a server on 127.0.0.1:7300 (`npm start`).
 *
 * The code is written and type-checked against React's API, and runs in the browser on Preact's
 * React-compatible layer (`preact/compat`): the aliases below swap react and react-dom (208 KB
 * minified of the shell's 322 KB) for Preact (about 12 KB), which the first paint would otherwise
 * spend 100–200 ms of a slow CPU compiling and running. docs/design/dashboard.md says why and
 * what was measured.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  // JSX compiles to react/jsx-runtime, which the aliases send to Preact's.
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: "preact/compat/client" },
      { find: /^react\/jsx-runtime$/, replacement: "preact/compat/jsx-runtime" },
      { find: /^react\/jsx-dev-runtime$/, replacement: "preact/compat/jsx-dev-runtime" },
      { find: /^react-dom$/, replacement: "preact/compat" },
      { find: /^react$/, replacement: "preact/compat" },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // Charts are the heaviest part: their chunk loads only with the views that draw one.
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Router looks up React 19's `use` and `useOptimistic` and falls back when they are
        // missing (Preact has neither); libraries mark modules "use client" for server bundlers.
        const id = warning.id ?? warning.message;
        if (warning.code === "IMPORT_IS_UNDEFINED" && id.includes("react-router")) return;
        if (warning.code === "MODULE_LEVEL_DIRECTIVE" && id.includes("node_modules")) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:7300", changeOrigin: false },
      "/calendar.ics": "http://127.0.0.1:7300",
    },
  },
});
