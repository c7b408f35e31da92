// @ts-check
// The linter `npm test` runs (and CI with it): ESLint's and typescript-eslint's recommended rules, plus the few
// that keep the layering honest. Formatting is Prettier's job (.prettierrc.json), not the linter's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'src/core/validation/schema/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // tsc already reports unused names (noUnusedLocals, noUnusedParameters), with `_` for the deliberate ones.
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // `import vscode = require('vscode')`: the bundler then requires the API object as is, once, instead of
      // wrapping it per file as it does for `import * as`.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
    },
  },
  {
    rules: { 'no-empty': ['error', { allowEmptyCatch: true }] },
  },
  {
    // The tests read JSON answers whose shape is exactly what they assert.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The core is shared by the CLI and the extension: it never imports VS Code.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The core runs in the CLI too: keep VS Code in src/extension.' }] }],
    },
  },
  {
    // The CLI prints by design, and the scripts are tools run from a terminal.
    files: ['src/cli/**/*.ts', 'scripts/**/*.mjs', 'bin/**', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'bin/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The functions Playwright runs inside the page see the browser's globals.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
