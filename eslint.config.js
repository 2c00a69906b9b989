// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const noClientCode = ['**/client.js', '**/http/*', '**/sandbox/*', '../http/*', '../sandbox/*'];
const noSdkCode = ['../core/*', '../http/*', '../auth/*', '../resources/*', '../client.js', 'undici', 'pino'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'scripts/**', 'eslint.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/http/**', 'src/logging/**', 'src/sandbox/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['undici', 'pino'] }] },
  },
  {
    // Module boundaries (conventions.md 2.1): pure folders import no transport, client or sandbox code.
    files: ['src/formats/**', 'src/filters/**', 'src/auth/**', 'src/core/retry.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noClientCode, 'undici', 'pino'] }] },
  },
  {
    // The sandbox is an independent oracle: no SDK code in it.
    files: ['src/sandbox/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: noSdkCode }] },
  },
  {
    // Sandbox handlers share what they need through handlers/shared.ts and never import each other,
    // so the handler modules cannot form an import cycle.
    files: ['src/sandbox/handlers/**'],
    ignores: ['src/sandbox/handlers/shared.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: noSdkCode },
            { regex: '^\\./(?!shared\\.js$)', message: 'Import shared handler code from ./shared.js.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
