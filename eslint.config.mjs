// Lint: typescript-eslint's recommended rules, plus the architecture's boundaries: the pure cores and
// `common/` never import `vscode`; nothing outside `media/` touches the DOM through a bundle import.

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
    files: ['server/**/*.ts', 'common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The server and the pure cores never import vscode.' }] }],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['vscode', 'node:*', 'vscode-languageserver*', 'vscode-languageclient*'], message: 'common/ is shared by every side: no vscode, Node or LSP-library imports.' }] }],
    },
  },
);
