// The import rules `npm test` checks (npm run check:deps): no cycles, dependencies pointing inward, each store
// loaded only where it is chosen.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the modules cannot be understood (or loaded) one before the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-stays-pure',
      severity: 'error',
      comment: 'src/core/ imports nothing outside the core: no adapters, no configuration, no logging.',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'core-no-adapter-packages',
      severity: 'error',
      comment: 'The core knows neither Discord nor a provider SDK nor a database driver nor the native index.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['npm'], path: 'node_modules/(discord\\.js|@langchain/openai|pg|pgvector|hnswlib-node|pino|dotenv)/' },
    },
    {
      name: 'discord-not-into-cli',
      severity: 'error',
      comment: 'The Discord adapter does not reach back up into the command-line entry points.',
      from: { path: '^src/discord/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'use-cases-choose-nothing',
      severity: 'error',
      comment: 'src/commands/ takes its parts as parameters: the composition root (src/app/) chooses them.',
      from: { path: '^src/commands/' },
      to: { path: '^src/(app|providers|stores)/' },
    },
    {
      name: 'stores-loaded-when-chosen',
      severity: 'error',
      comment: 'Outside the stores, a store is only imported dynamically (src/app/stores.ts), so STORE=pgvector never loads hnswlib and the default never loads pg.',
      from: { path: '^src/', pathNot: '^src/stores/' },
      to: { path: '^src/stores/', dynamic: false },
    },
    {
      name: 'native-index-in-the-local-store',
      severity: 'error',
      comment: 'Only the local store imports hnswlib-node.',
      from: { path: '^src/', pathNot: '^src/stores/local/' },
      to: { path: 'node_modules/hnswlib-node/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
