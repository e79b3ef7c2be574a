#!/usr/bin/env bash
# npm run test:postgres — the pgvector suites against a real PostgreSQL server: test/pgvector (including
# test/pgvector/real-server.test.ts: query plans, readers during a rebuild) and the pgvector half of
# test/stores/contract.test.ts. `npm test` runs them against PGlite (real-server-only tests skipped).
#
# With TEST_DATABASE_URL set, that server is used (the suites drop and recreate the store's tables in it: give
# them a throwaway database). Otherwise ../shared/scripts/pg-real.sh installs and starts PostgreSQL 15 +
# pgvector 0.8.6 on 127.0.0.1:5440 (root and apt needed the first time), and the tests get a database of
# their own on it, `bot_test`, so they never drop what a benchmark or a bot keeps in `bot`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z ${TEST_DATABASE_URL:-} ]]; then
  server_url=$(bash ../shared/scripts/pg-real.sh | tail -n 1)
  TEST_DATABASE_URL="${server_url%/*}/bot_test"
  SERVER_URL=$server_url TEST_DATABASE_URL=$TEST_DATABASE_URL node --input-type=module -e '
    import pg from "pg";
    const admin = new pg.Client({ connectionString: process.env.SERVER_URL });
    await admin.connect();
    const name = new URL(process.env.TEST_DATABASE_URL).pathname.slice(1);
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const test = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await test.connect();
    await test.query("CREATE EXTENSION IF NOT EXISTS vector");
    const { rows } = await test.query("SELECT version() AS server, extversion FROM pg_extension WHERE extname = $1", ["vector"]);
    console.log(`[test:postgres] ${rows[0].server.split(" on ")[0]}, pgvector ${rows[0].extversion}, database ${name}`);
    await test.end();
  '
fi
export TEST_DATABASE_URL

npx vitest run test/pgvector
npx vitest run test/stores/contract.test.ts -t pgvector
