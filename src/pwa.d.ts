/// <reference types="vite-plugin-pwa/vanillajs" />
// `virtual:pwa-register` (src/ui/common/update-prompt.svelte) is made by vite-plugin-pwa (vite.config.ts).
