// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Infrastructure packages the domain layer must never see. */
const infrastructure = [
  'kafkajs',
  '@kafkajs/*',
  'mongodb',
  'axios',
  'prom-client',
  'pino',
  'node:http',
  'node:net',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.stack/',
      'coverage/',
      'grafana/',
      'eslint.config.js',
      'bin/',
      'src/console/assets/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read settings through src/config.ts; nothing else reads process.env.',
        },
      ],
    },
  },
  {
    files: ['src/config.ts', 'src/stack/config.ts', 'test/**/*.ts', 'bench/**/*.ts', '*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: infrastructure,
              message: 'The domain layer knows nothing of Kafka, MongoDB, HTTP or metrics.',
            },
            { group: ['../*', '!../domain/*'], message: 'The domain layer imports only from src/domain.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/sources/**/*.ts', 'src/twin/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kafkajs', 'mongodb', '../kafka/*', '../mongo/*', '../resolver/*'],
              message: 'Sources know HTTP and the domain, not Kafka or MongoDB.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/resolver/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kafkajs', '@kafkajs/*', 'mongodb'],
              message: 'The resolver talks to its ports (src/resolver/ports.ts), not to Kafka or MongoDB.',
            },
            {
              group: ['../persistence/*', '../kafka/*', '../mongo/*'],
              message: 'The resolver never imports its adapters: src/main.ts wires them to its ports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
