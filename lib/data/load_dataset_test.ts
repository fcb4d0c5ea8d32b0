import { loadDataset } from "../../datasets/mod.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { datasets } from "../../datasets/mod.ts";
import type { DatasetDefinition } from "./dataset.ts";
import { loadDatasetFrom } from "./load_dataset.ts";
import { parseProblems } from "./parse_jsonl.ts";
import { selectProblems } from "./select.ts";

Deno.test("all five bundled datasets load with their row counts", async () => {
  const counts: Record<string, number> = {};
  for (const definition of datasets) {
    const loaded = await loadDataset(definition.name);
    counts[definition.name] = loaded.problems.length;
    assert.equal(loaded.problems.length, definition.rows);
    assert.ok(loaded.problems.every((p) => p.source === definition.name));
  }
  assert.deepEqual(counts, {
    math500: 500,
    aime24: 30,
    aime25: 30,
    math_pool: 4500,
    gsm8k_test: 1319,
  });
  const math500 = await loadDataset("math500");
  assert.equal(math500.problems[0].metadata.level, 2);
  assert.equal(math500.problems[0].metadata.subject, "Precalculus");
});

const badRows: [string, string, RegExp][] = [
  [
    "bad JSON",
    '{"id":"a","problem":"p","answer":"1"}\n{"id": "b", problem',
    /line 2 is not valid JSON/,
  ],
  [
    "not an object",
    '{"id":"a","problem":"p","answer":"1"}\n\n[1,2]',
    /line 3 is not a JSON object/,
  ],
  ["missing field", '{"id":"a","problem":"p"}', /line 1 has no "answer" field/],
  ["empty field", '{"id":"a","problem":"  ","answer":"1"}', /line 1 has an empty "problem" field/],
  [
    "wrong type",
    '{"id":"a","problem":"p","answer":{"x":1}}',
    /line 1 has a "answer" of type object/,
  ],
  [
    "duplicate id",
    '{"id":"a","problem":"p","answer":"1"}\n{"id":"a","problem":"q","answer":"2"}',
    /line 2 repeats id "a" of line 1/,
  ],
  ["no rows", "\n\n", /the file has no rows/],
];

for (const [kind, text, message] of badRows) {
  Deno.test(`parseProblems() refuses ${kind} with its line number and loads nothing`, () => {
    assert.throws(() => parseProblems(text, { dataset: "bad", path: "bad.jsonl" }), (e: Error) => {
      assert.match(e.message, /^Cannot load dataset "bad": /);
      assert.match(e.message, message);
      assert.match(e.message, /\(bad\.jsonl\)$/);
      return true;
    });
  });
}

Deno.test("loadDataset() reads a JSONL path and reports a bad row of a real file", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "mine.jsonl");
  await Deno.writeTextFile(path, '{"id":1,"problem":"p","answer":3}\n{"id":2,"problem":"q"}\n');
  await assert.rejects(
    () => loadDataset(path),
    /Cannot load dataset "mine": line 2 has no "answer"/,
  );
  await Deno.writeTextFile(path, '{"id":1,"problem":"p","answer":3}\n');
  const loaded = await loadDataset(path);
  assert.deepEqual(loaded.problems[0], {
    id: "1",
    problem: "p",
    answer: "3",
    source: "mine",
    metadata: {},
  });
});

Deno.test("selectProblems() filters, shuffles with a seed, offsets and limits", async () => {
  const { problems } = await loadDataset("math500");
  const hard = selectProblems(problems, { filter: ["level=5", "subject=Algebra"] });
  assert.ok(hard.length > 0);
  assert.ok(hard.every((p) => p.metadata.level === 5 && p.metadata.subject === "Algebra"));
  const either = selectProblems(problems, { filter: ["level=1,2"] });
  assert.equal(either.length, 43 + 90);
  const a = selectProblems(problems, { shuffle: true, seed: 3, offset: 10, limit: 5 });
  const b = selectProblems(problems, { shuffle: true, seed: 3, offset: 10, limit: 5 });
  const c = selectProblems(problems, { shuffle: true, seed: 4, offset: 10, limit: 5 });
  assert.deepEqual(a.map((p) => p.id), b.map((p) => p.id));
  assert.notDeepEqual(a.map((p) => p.id), c.map((p) => p.id));
  assert.equal(a.length, 5);
  assert.deepEqual(selectProblems(problems, { offset: 498 }).map((p) => p.id), [
    "math500-498",
    "math500-499",
  ]);
  assert.throws(
    () => selectProblems(problems, { filter: ["lvl=5"] }),
    /no problem has a field "lvl"/,
  );
  assert.throws(() => selectProblems(problems, { filter: ["level"] }), /is not field=value/);
});

Deno.test("loadDataset() downloads into the cache with the sha256 checked, and refuses a bad digest", async () => {
  const sourceText = '{"q":"What is 2+3?","a":"5"}\n{"q":"What is 2*3?","a":"6"}\n';
  const bytes = new TextEncoder().encode(sourceText);
  const digest = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(sourceText),
  );
  const url = `http://127.0.0.1:${server.addr.port}/tiny.jsonl`;
  const definition = (sha256: string): DatasetDefinition => ({
    name: "tiny",
    description: "test",
    file: "tiny.jsonl",
    rows: 2,
    answerKind: "integer",
    source: {
      url,
      sha256,
      license: "test",
      normalise: (text) =>
        text.trim().split("\n").map((l, i) => {
          const row = JSON.parse(l);
          return { id: `tiny-${i}`, problem: row.q, answer: row.a };
        }),
    },
  });
  const cache = await Deno.makeTempDir();
  const env = (name: string) => (name === "XDG_CACHE_HOME" ? cache : undefined);
  try {
    await assert.rejects(
      () =>
        loadDatasetFrom("tiny", {
          env,
          registry: { files: [definition("0".repeat(64))], generated: [] },
        }),
      /Cannot download dataset "tiny": sha256 is [0-9a-f]{64}, expected 0{64}.*put tiny\.jsonl in/,
    );
    const files = [...Deno.readDirSync(cache)].length === 0
      ? []
      : [...Deno.readDirSync(join(cache, "tocode", "datasets"))];
    assert.deepEqual(files, [], "a failed download left a file behind");

    const loaded = await loadDatasetFrom("tiny", {
      env,
      registry: { files: [definition(digest)], generated: [] },
    });
    assert.deepEqual(loaded.problems.map((p) => p.answer), ["5", "6"]);
    assert.equal(loaded.path, join(cache, "tocode", "datasets", "tiny.jsonl"));
  } finally {
    await server.shutdown();
  }
});

Deno.test("loadDataset() says which file is missing from the data folder and how to fix it", async () => {
  const empty = await Deno.makeTempDir();
  await assert.rejects(
    () => loadDataset("aime25", { dataDir: empty }),
    new RegExp(`Cannot load dataset "aime25": aime25\\.jsonl is not in the data folder ${empty}`),
  );
  await assert.rejects(
    () => loadDataset("nope", { dataDir: empty }),
    /unknown name \(known: math500/,
  );
});

Deno.test("outside files: --field names, ids from line numbers, HF MATH-500's layout, Parquet", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tocode-data-" });
  // HuggingFaceH4/MATH-500 test.jsonl: problem, solution, answer, subject, level, unique_id; no id.
  const math500 = (await loadDataset("math500")).problems.slice(0, 3);
  const hf = math500.map((p) => ({
    problem: p.problem,
    solution: p.metadata.solution,
    answer: p.answer,
    subject: p.metadata.subject,
    level: p.metadata.level,
    unique_id: p.metadata.unique_id,
  }));
  const hfPath = join(dir, "test.jsonl");
  await Deno.writeTextFile(hfPath, hf.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const loaded = await loadDataset(hfPath);
  assert.deepEqual(loaded.problems.map((p) => p.id), ["test-1", "test-2", "test-3"]);
  assert.deepEqual(loaded.problems.map((p) => p.answer), math500.map((p) => p.answer));
  assert.equal(loaded.problems[0].metadata.unique_id, math500[0].metadata.unique_id);

  const other = join(dir, "gsm.jsonl");
  await Deno.writeTextFile(
    other,
    '{"question":"What is 2+3?","final":"5"}\n\n{"question":"What is 2*3?","final":6}\n',
  );
  const mapped = await loadDataset(other, { fields: ["problem=question", "answer=final"] });
  assert.deepEqual(mapped.problems.map((p) => [p.id, p.problem, p.answer]), [
    ["gsm-1", "What is 2+3?", "5"],
    ["gsm-3", "What is 2*3?", "6"],
  ]);
  await assert.rejects(() => loadDataset(other), /line 1 has no "problem" field/);
  await assert.rejects(
    () => loadDataset(other, { fields: ["question=problem"] }),
    /expected id=NAME, problem=NAME or answer=NAME/,
  );

  const parquet = join(dir, "pool.parquet");
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  await connection.run(
    `COPY (SELECT * FROM (VALUES ('What is 1+1?', '2', 1::BIGINT), ('What is 3+4?', '7', 2::BIGINT),
       ('no answer', NULL, 3::BIGINT)) t(question, answer, level)) TO '${parquet}' (FORMAT parquet)`,
  );
  const good = join(dir, "good.parquet");
  await connection.run(`COPY (SELECT * FROM '${parquet}' WHERE answer IS NOT NULL) TO '${good}'`);
  connection.closeSync();
  db.closeSync();
  await assert.rejects(
    () => loadDataset(parquet, { fields: ["problem=question"] }),
    /row 3 has no "answer" field \(.*pool\.parquet\)/,
  );
  const fromParquet = await loadDataset(good, { fields: ["problem=question"] });
  assert.deepEqual(fromParquet.problems.map((p) => [p.id, p.problem, p.answer, p.metadata.level]), [
    ["good-1", "What is 1+1?", "2", "1"],
    ["good-2", "What is 3+4?", "7", "2"],
  ]);
});
