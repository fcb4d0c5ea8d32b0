/**
 * The store's schema as an ordered list of migrations. The schema version of a file is the number
 * of migrations applied to it; opening an older file applies the rest, a newer file is refused.
 * Append new migrations at the end; never edit one that has shipped.
 */
export const migrations: readonly { version: number; description: string; sql: string }[] = [
  {
    version: 1,
    description: "runs, problems and rollouts",
    sql: `
      CREATE TABLE runs (
        id VARCHAR PRIMARY KEY,
        task VARCHAR NOT NULL,
        args JSON,
        git_revision VARCHAR,
        started_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        finished_at TIMESTAMP,
        status VARCHAR NOT NULL -- running | finished | interrupted | failed
      );
      CREATE TABLE problems (
        id VARCHAR PRIMARY KEY,
        dataset VARCHAR NOT NULL,
        problem VARCHAR NOT NULL,
        answer VARCHAR NOT NULL,
        source VARCHAR,
        metadata JSON
      );
      CREATE TABLE rollouts (
        run_id VARCHAR NOT NULL,
        problem_id VARCHAR NOT NULL,
        mode VARCHAR NOT NULL,        -- text | code | auto
        sample_idx INTEGER NOT NULL,
        dataset VARCHAR,
        prompt VARCHAR,
        completion VARCHAR,
        turns JSON,                   -- [{ kind, text, language, status, stdout, stderr, duration_ms }]
        used_code BOOLEAN,
        code_calls INTEGER,
        answer VARCHAR,               -- extracted from the completion
        correct BOOLEAN,
        reward DOUBLE,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        token_ids INTEGER[],          -- completion token ids, when the backend gives them
        logprobs FLOAT[],             -- behaviour log-probs of the completion tokens, when known
        latency_ms DOUBLE,
        error VARCHAR,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        PRIMARY KEY (run_id, problem_id, mode, sample_idx)
      );`,
  },
  {
    version: 2,
    description: "per-step metrics of any run (training losses, running accuracy)",
    sql: `
      CREATE TABLE metrics (
        run_id VARCHAR NOT NULL,
        step INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        value DOUBLE,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        PRIMARY KEY (run_id, step, name)
      );`,
  },
];

/** The schema version this build of tocode writes. */
export const SCHEMA_VERSION: number = migrations[migrations.length - 1].version;
