import { defineConfig } from 'vite';

// `npm run dev -w @cloudphone/web` serves the console with hot reload against a running `npm start`:
// /graphql (HTTP and WebSocket) goes to the gateway, as the console server does in production.
export default defineConfig({
  server: {
    port: 5173,
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
    // The operations live in ../schema/operations, outside this package.
    fs: { allow: ['..'] },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});
