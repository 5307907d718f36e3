// Lint: typescript-eslint's recommended rules, plus the architecture's boundaries (docs/architecture.md),
// enforced by the local plugin in scripts/lint/boundaries.mjs: hosts reach a core only through its faces,
// the cores stay free of vscode and the DOM and keep Node in *.node.ts files, browser-bound code uses no
// Node, hosts and common/ import only what their side may, and no import cycles.

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries, { DOM_ONLY_GLOBALS } from './scripts/lint/boundaries.mjs';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.demo/**', 'test/.cache/**', 'test/e2e/host/**', 'test/e2e/artifacts/**', 'examples/**', '**/*.vsix', '.bench/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', __dirname: 'readonly',
        require: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', performance: 'readonly',
        AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Browser-driving tests run functions inside the page (page.evaluate), where the DOM is the global scope.
    files: ['test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Each rule decides from the importing file's folder whether it applies; tests and scripts are free.
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { boundaries },
    rules: {
      'boundaries/core-faces': 'error',
      'boundaries/core-platform': 'error',
      'boundaries/browser-no-node': 'error',
      'boundaries/host-separation': 'error',
      'boundaries/common-self-contained': 'error',
    },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: { 'boundaries/no-cycles': 'error' },
  },
  {
    // The cores run in Node and in a web worker: no DOM (their tsconfig has no DOM library either).
    files: ['core/**'],
    rules: {
      'no-restricted-globals': ['error', ...DOM_ONLY_GLOBALS.map((name) => ({ name, message: `${name} is a DOM global: the cores run in Node and in a web worker, without the DOM; keep DOM code in media/.` }))],
    },
  },
);
