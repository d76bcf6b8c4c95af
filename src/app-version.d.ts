/** package.json's version, defined by Vite at build time (vite.config.ts `define`). */
declare const __APP_VERSION__: string;
