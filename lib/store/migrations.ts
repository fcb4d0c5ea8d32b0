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
  {
    version: 3,
    description: "E-step: per-query statistics and the curated training set of each iteration",
    sql: `
      CREATE TABLE curate_queries (
        run_id VARCHAR NOT NULL,
        iteration INTEGER NOT NULL,
        problem_id VARCHAR NOT NULL,
        n_text INTEGER NOT NULL,
        n_code INTEGER NOT NULL,
        n_auto INTEGER NOT NULL,
        q_text DOUBLE NOT NULL,         -- Q(x, text): mean reward of the text rollouts
        q_code DOUBLE NOT NULL,         -- Q(x, code)
        pi_code DOUBLE NOT NULL,        -- pi(code|x): share of auto rollouts that ran code
        s_text DOUBLE NOT NULL,         -- s*(text|x)
        s_code DOUBLE NOT NULL,         -- s*(code|x)
        uniform BOOLEAN NOT NULL,       -- every rollout of both modes scored the same
        reference VARCHAR,              -- text | code | NULL: the code-selection reference
        kept BOOLEAN NOT NULL,          -- not dropped as uniform
        PRIMARY KEY (run_id, iteration, problem_id)
      );
      CREATE TABLE curated (
        run_id VARCHAR NOT NULL,
        iteration INTEGER NOT NULL,
        problem_id VARCHAR NOT NULL,
        mode VARCHAR NOT NULL,          -- the mode drawn from s*(c|x)
        PRIMARY KEY (run_id, iteration, problem_id, mode)
      );
      -- The training set the trainer reads: every forced-mode rollout of a drawn query, with
      -- imitate = true for successful rollouts in a drawn mode (the NLL term's examples).
      CREATE VIEW curated_rollouts AS
        SELECT r.*, q.iteration,
          coalesce(r.correct, false) AND EXISTS (
            SELECT 1 FROM curated c
            WHERE c.run_id = r.run_id AND c.iteration = q.iteration
              AND c.problem_id = r.problem_id AND c.mode = r.mode
          ) AS imitate
        FROM rollouts r
        JOIN (SELECT DISTINCT run_id, iteration, problem_id FROM curated) q
          ON q.run_id = r.run_id AND q.problem_id = r.problem_id
        WHERE r.mode IN ('text', 'code');`,
  },
  {
    version: 4,
    description: "why each sample ended or failed, the chat messages sent, and why a run failed",
    sql: `
      -- stop | eos | length | budget | call_limit (NULL for samples that failed)
      ALTER TABLE rollouts ADD COLUMN finish_reason VARCHAR;
      -- server | sandbox | grader | prompt_too_long | other (NULL when error is NULL)
      ALTER TABLE rollouts ADD COLUMN error_kind VARCHAR;
      -- the chat messages of a chat prompt template, as sent or as rendered locally
      ALTER TABLE rollouts ADD COLUMN prompt_messages JSON;
      ALTER TABLE runs ADD COLUMN error VARCHAR;
      -- what the run ran with: config, model id, versions, dataset and template hashes
      ALTER TABLE runs ADD COLUMN provenance JSON;`,
  },
  {
    version: 5,
    description:
      "token-native trajectories: prompt and response ids, loss mask, behaviour log-probs",
    sql: `
      -- verl's names: every token after the prompt (sampled, and inserted tool output), a mask of
      -- 1 where the policy sampled the token and 0 where it was inserted, and the behaviour
      -- log-prob of each sampled token at temperature 1 (NULL where inserted)
      ALTER TABLE rollouts ADD COLUMN prompt_ids INTEGER[];
      ALTER TABLE rollouts ADD COLUMN response_ids INTEGER[];
      ALTER TABLE rollouts ADD COLUMN response_mask TINYINT[];
      ALTER TABLE rollouts ADD COLUMN response_logprobs FLOAT[];
      -- false when the ids are not what the model read (a server that gave none, text rewritten)
      ALTER TABLE rollouts ADD COLUMN ids_exact BOOLEAN;
      -- the stop string that ended the last generation (vLLM's stop_reason)
      ALTER TABLE rollouts ADD COLUMN stop_reason VARCHAR;`,
  },
];

/** The schema version this build of tocode writes. */
export const SCHEMA_VERSION: number = migrations[migrations.length - 1].version;
