import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'action/dist/', 'coverage/', 'out/', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The apps project and the workload components it deploys know the platform only through the
    // outputs contract (infra/outputs.ts): importing a platform component would tie an app deploy to the
    // platform's code, and its blast radius back to the whole environment.
    files: ['infra/apps/**/*.ts', 'infra/workloads/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(\.\./)+(infra/)?(addons|cluster|database|keys|network|registry|program|index|bootstrap(/.*)?)$`,
              message:
                'the apps reach the platform through infra/outputs.ts only, never a platform component',
            },
          ],
        },
      ],
    },
  },
);
