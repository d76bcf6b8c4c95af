// ESLint flat config: recommended rules for JavaScript, TypeScript (typescript-eslint) and Svelte 5 (eslint-plugin-svelte).
// Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'bench-results/', 'relay-data/', 'coverage/', '.ci/', 'sample-data/', 'codebooks/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: { parserOptions: { extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } },
  },
  {
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Import, XML and export code detects and strips control characters on purpose (NUL sniffing, XML 1.0's
      // forbidden characters, sheet names, the U+001F in answer ids).
      'no-control-regex': 'off',
      // State classes hold plain Map/Set values in $state.raw and replace them to signal a change (docs/ARCHITECTURE.md:
      // $state proxies never reach IndexedDB or postMessage); locals in functions and worker URLs are not state at all.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
);
