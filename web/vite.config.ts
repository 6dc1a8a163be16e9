/**
 * The dashboard's build: React with Vite, written to `dist/web`, which the Railyard server serves
 * at `/`. `npx vite --config web/vite.config.ts` serves it with hot reload, proxying the API to a
 * server on 127.0.0.1:7300 (`npm start`).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // Charts are the heaviest part: their chunk loads only with the views that draw one.
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:7300", changeOrigin: false },
      "/calendar.ics": "http://127.0.0.1:7300",
    },
  },
});
