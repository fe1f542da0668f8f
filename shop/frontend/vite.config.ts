// Vite: the SPA lives under /app/, as nginx serves it in production (deploy/nginx).
// Every other path (/api/, /payments/, /static/ ...) is proxied to Django, so the browser
// sees ONE origin: no CORS, the refresh cookie is first-party, the CSRF Origin check passes.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `make run` serves the shop on 127.0.0.1:8003; the journey test points this elsewhere.
const shop = process.env.SHOP_URL ?? "http://127.0.0.1:8003";

// Not changeOrigin: Django must see the browser's Host (127.0.0.1:5173), so the Origin
// header matches it and the absolute URLs it builds (payment links) come back through us.
const proxy = { "^/(?!app(/|$))": { target: shop, changeOrigin: false } };

export default defineConfig({
  base: "/app/",
  plugins: [react()],
  server: { host: "127.0.0.1", port: Number(process.env.SPA_PORT ?? 5173), strictPort: true, proxy },
  preview: { host: "127.0.0.1", port: Number(process.env.SPA_PORT ?? 4173), strictPort: true, proxy },
  build: { outDir: "dist", sourcemap: true },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
