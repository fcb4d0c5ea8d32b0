/**
 * Exports in the trainers' own layouts, read back with DuckDB and checked row by row against
 * what each trainer's code reads (docs/export.md cites the files and commits): names, types and
 * nesting, a ground truth in every row, the template's system prompt (as the server received it),
 * and no tool output in a span the trainer trains on. The runs are real: curate and eval through
 * the chat path against the vLLM stand-in, whose scripted model answers some problems right only
 * in text and others only with a program, so a curated set holds both kinds of trajectories.
 * Golden files (tests/fixtures/exports) pin each layout; `UPDATE_GOLDEN=1` rewrites them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EXPORT_SCHEMAS, exportRun, type ExportSchemaName } from "../lib/curate/mod.ts";
import { modePrefix } from "../lib/rollout/templates.ts";
import { openStore, type Store } from "../lib/store/mod.ts";
import { runTask } from "./_run_task.ts";
import { type Standin, startVllmStandin, writeQwenTokenizer } from "./fixtures/vllm_standin.ts";

/** Right only with a program, right only in text, right both ways (a uniform query). */
const PROBLEMS = [
  { id: "code-wins", problem: "What is 1234 * 5678?", answer: "7006652" },
  { id: "text-wins", problem: "How many primes are below 20?", answer: "8" },
  { id: "both-right", problem: "What is 2 + 2?", answer: "4" },
];
const RIGHT = (problem: string, way: "text" | "code") => {
  const id = PROBLEMS.find((p) => p.problem === problem)?.id;
  return id === "both-right" || (id === "code-wins" ? way === "code" : way === "text");
};

const GOLDEN = new URL("./fixtures/exports/", import.meta.url).pathname;

/** Math sources verl's default_compute_score scores with its MATH reward (reward_score/__init__.py). */
const VERL_MATH_SOURCES = ["lighteval/MATH", "DigitalLearningGmbH/MATH-lighteval"];

/** The code interpreter's schema in verl's sandbox_fusion_tool_config.yaml. */
const VERL_CODE_TOOL = {
  type: "function",
  function: {
    name: "code_interpreter",
    description: "A tool for executing code.",
    parameters: {
      type: "object",
      properties: { code: { type: "string", description: "The code to execute." } },
      required: ["code"],
    },
  },
};

type Message = {
  role: string;
  content: string;
  tool_calls?: { type: string; function: { name: string; arguments: { code: string } } }[] | null;
};
type Row = Record<string, unknown>;

interface Fixture {
  dir: string;
  db: string;
  server: Standin;
  /** Problem → the messages the server received for its `auto` prompt. */
  autoPrompts: Map<string, Message[]>;
}

async function setup(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "tocode-export-" });
  const data = join(dir, "problems.jsonl");
  await Deno.writeTextFile(data, PROBLEMS.map((p) => JSON.stringify(p)).join("\n") + "\n");
  const tokenizer = await writeQwenTokenizer(join(dir, "tokenizer"));
  const server = await startVllmStandin({
    tokenizerDir: tokenizer,
    answers: new Map(PROBLEMS.map((p) => [p.problem, p.answer])),
    answersCorrectly: RIGHT,
  });
  const db = join(dir, "runs.duckdb");
  const common = [
    "--model",
    `openai:${server.origin}`,
    "--prompt-template",
    "qwen25-math-tir",
    "--dataset",
    data,
    "--temperature",
    "0",
    "--max-tokens",
    "400",
    "--db",
    db,
    "--sandbox-workers",
    "1",
  ];
  const curate = await runTask([
    "curate",
    ...common,
    "--k",
    "1",
    "--m",
    "1",
    "--seed",
    "7",
    "--run-id",
    "em",
    "--export",
    join(dir, "curate-verl.parquet"),
    "--export-schema",
    "verl",
  ]);
  assert.equal(curate.code, 0, curate.stderr);
  const evaluated = await runTask(["eval", ...common, "--run-id", "ev"]);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const autoPrompts = new Map<string, Message[]>();
  for (const body of server.stats.bodies as { messages?: Message[] }[]) {
    const m = body.messages;
    if (m?.length === 2 && !autoPrompts.has(m[1].content)) autoPrompts.set(m[1].content, m);
  }
  return { dir, db, server, autoPrompts };
}

/** The rows of an exported file as DuckDB reads them, and its column types. */
async function readBack(path: string): Promise<{ columns: Record<string, string>; rows: Row[] }> {
  const reader = await openStore(":memory:");
  try {
    const from = path.endsWith(".parquet") ? `read_parquet('${path}')` : `read_json('${path}')`;
    const described = await reader.query<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM ${from}`,
    );
    const rows = await reader.query<{ row: string }>(
      `SELECT to_json(t)::VARCHAR AS row FROM ${from} t`,
    );
    return {
      columns: Object.fromEntries(described.map((c) => [c.column_name, c.column_type])),
      rows: rows.map((r) => JSON.parse(r.row)),
    };
  } finally {
    reader.close();
  }
}

/** What the store holds of each successful sample: its generated text and its tool outputs. */
async function storedSamples(store: Store, run: string) {
  const rows = await store.query<
    { problem_id: string; mode: string; sample_idx: number; completion: string; turns: string }
  >(
    `SELECT problem_id, mode, sample_idx, completion, turns::VARCHAR AS turns FROM rollouts
     WHERE run_id = $1 AND error IS NULL`,
    [run],
  );
  return new Map(rows.map((r) => {
    const turns = JSON.parse(r.turns) as { kind: string; text: string }[];
    const generated = modePrefix(r.mode as "text") +
      turns.filter((t) => t.kind === "text").map((t) => t.text).join("");
    // The sandbox's output as it stands in the completion the model continued.
    const outputs = [...r.completion.matchAll(/```output\n([\s\S]*?)\n?```/g)].map((m) => m[1]);
    return [`${r.problem_id}/${r.mode}/${r.sample_idx}`, { generated, outputs }];
  }));
}

/** The prompt an exported row carries is the one the server received for the problem's auto prompt. */
function assertPrompt(fx: Fixture, prompt: Message[], problemId: string) {
  const problem = PROBLEMS.find((p) => p.id === problemId)!.problem;
  assert.deepEqual(
    prompt.map((m) => m.role),
    ["system", "user"],
    "system prompt, then the problem",
  );
  assert.ok(prompt[0].content.length > 0);
  assert.deepEqual(
    prompt.map((m) => ({ role: m.role, content: m.content })),
    fx.autoPrompts.get(problem)!.map((m) => ({ role: m.role, content: m.content })),
  );
}

/**
 * A conversation after its prompt, as the SFT trainers read it: assistant and tool turns
 * alternating after each call, the trained spans (assistant turns: verl's MultiTurnSFTDataset
 * loss_mask, TRL's assistant_only_loss, OpenRLHF's multiturn response_ranges) holding only text the
 * model generated, every tool turn the sandbox's output as the model saw it, in order.
 */
function assertTrajectory(
  turns: Message[],
  stored: { generated: string; outputs: string[] },
  where: string,
) {
  assert.ok(turns.length >= 1, where);
  const toolOutputs: string[] = [];
  turns.forEach((m, i) => {
    assert.ok(m.role === "assistant" || m.role === "tool", `${where}: role ${m.role}`);
    if (m.role === "tool") {
      const previous = turns[i - 1];
      assert.equal(previous?.role, "assistant", `${where}: a tool turn answers a call`);
      assert.equal(previous.tool_calls?.length, 1, `${where}: one call per step`);
      toolOutputs.push(m.content);
      return;
    }
    assert.ok(!m.content.includes("```output"), `${where}: tool output in a trained turn`);
    assert.ok(stored.generated.includes(m.content), `${where}: trained text the model never wrote`);
    for (const call of m.tool_calls ?? []) {
      assert.deepEqual(Object.keys(call).sort(), ["function", "type"]);
      assert.equal(call.type, "function");
      assert.equal(call.function.name, "code_interpreter");
      assert.ok(call.function.arguments.code.length > 0, `${where}: empty code`);
      assert.ok(
        stored.generated.includes(call.function.arguments.code),
        `${where}: code it never wrote`,
      );
      assert.equal(turns[i + 1]?.role, "tool", `${where}: a call gets its output`);
    }
  });
  assert.equal(turns.at(-1)!.role, "assistant", `${where}: ends with the model's answer`);
  assert.ok(!turns.at(-1)!.tool_calls?.length, `${where}: ends without a call`);
  assert.deepEqual(toolOutputs, stored.outputs, `${where}: tool turns are the sandbox's outputs`);
}

const CHECKS: Record<
  Exclude<ExportSchemaName, "tocode">,
  (fx: Fixture, row: Row, i: number, stored: Awaited<ReturnType<typeof storedSamples>>) => void
> = {
  verl(fx, row, i) {
    assert.ok(
      VERL_MATH_SOURCES.includes(row.data_source as string),
      `data_source ${row.data_source}`,
    );
    const info = row.extra_info as Record<string, unknown>;
    assertPrompt(fx, row.prompt as Message[], info.problem_id as string);
    assert.equal(row.ability, "math");
    const reward = row.reward_model as { style: string; ground_truth: string };
    assert.equal(reward.style, "rule");
    const gold = PROBLEMS.find((p) => p.id === info.problem_id)!.answer;
    assert.equal(reward.ground_truth, gold);
    assert.equal(info.index, i);
    assert.equal(info.split, "train");
    assert.ok(info.mode === "text" || info.mode === "code");
    assert.ok((info.weight as number) > 0 && (info.weight as number) <= 1);
    assert.equal(info.need_tools_kwargs, true);
    assert.deepEqual(info.tools_kwargs, {
      code_interpreter: { create_kwargs: { ground_truth: gold } },
    });
    assert.equal(row.agent_name, "tool_agent");
  },
  "verl-sft"(fx, row, i, stored) {
    const info = row.extra_info as Record<string, unknown>;
    const messages = row.messages as Message[];
    assertPrompt(fx, messages.slice(0, 2), info.problem_id as string);
    assert.equal(info.index, i);
    assert.equal(info.ground_truth, PROBLEMS.find((p) => p.id === info.problem_id)!.answer);
    assertTrajectory(messages.slice(2), stored.get(sampleKey(info))!, `verl-sft row ${i}`);
    assert.deepEqual(row.tools, [VERL_CODE_TOOL]);
  },
  trl(fx, row, i, stored) {
    assertPrompt(fx, row.prompt as Message[], row.problem_id as string);
    assert.equal(row.ground_truth, PROBLEMS.find((p) => p.id === row.problem_id)!.answer);
    assertTrajectory(row.completion as Message[], stored.get(sampleKey(row))!, `trl row ${i}`);
    assert.deepEqual(row.tools, [VERL_CODE_TOOL]);
  },
  openrlhf(fx, row) {
    assertPrompt(fx, row.input as Message[], row.problem_id as string);
    assert.equal(row.label, PROBLEMS.find((p) => p.id === row.problem_id)!.answer);
    assert.equal(typeof row.datasource, "string");
  },
  "openrlhf-sft"(fx, row, i, stored) {
    const messages = row.messages as Message[];
    assertPrompt(fx, messages.slice(0, 2), row.problem_id as string);
    assert.equal(row.label, PROBLEMS.find((p) => p.id === row.problem_id)!.answer);
    assertTrajectory(messages.slice(2), stored.get(sampleKey(row))!, `openrlhf-sft row ${i}`);
  },
};

function sampleKey(row: Record<string, unknown>): string {
  return `${row.problem_id}/${row.mode}/${row.sample_idx}`;
}

/** Compares a schema's export with its golden file, or rewrites the file under UPDATE_GOLDEN=1. */
async function assertGolden(
  schema: string,
  back: { columns: Record<string, string>; rows: Row[] },
) {
  const path = join(GOLDEN, `${schema}.json`);
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.mkdir(GOLDEN, { recursive: true });
    await Deno.writeTextFile(path, JSON.stringify(back, null, 2) + "\n");
  }
  assert.deepEqual(back, JSON.parse(await Deno.readTextFile(path)), `golden ${path}`);
}

Deno.test("exports: every trainer schema of a curated set and of an eval run reads back as its trainer reads it", async (t) => {
  const fx = await setup();
  try {
    const store = await openStore(fx.db, { readOnly: true });
    const curated = await storedSamples(store, "em");
    const evaluated = await storedSamples(store, "ev");
    store.close();
    const [codeRow, textRow] = [curated.get("code-wins/code/0"), curated.get("text-wins/text/0")];
    assert.ok(codeRow && codeRow.outputs.length === 1, "a drawn code trajectory ran a program");
    assert.ok(textRow && textRow.outputs.length === 0, "a drawn text trajectory");

    await t.step("curate --export writes verl's RL layout", async () => {
      const back = await readBack(join(fx.dir, "curate-verl.parquet"));
      assert.equal(back.rows.length, 2, "code-wins/code and text-wins/text drawn");
      back.rows.forEach((row, i) => CHECKS.verl(fx, row, i, curated));
      assert.deepEqual(
        back.rows.map((r) => [(r.extra_info as Row).problem_id, (r.extra_info as Row).mode]),
        [["code-wins", "code"], ["text-wins", "text"]],
      );
    });

    for (const schema of EXPORT_SCHEMAS.filter((s) => s !== "tocode")) {
      await t.step(`${schema}: parquet and jsonl, row by row, and its golden file`, async () => {
        const store = await openStore(fx.db);
        const paths = [join(fx.dir, `${schema}.parquet`), join(fx.dir, `${schema}.jsonl`)];
        try {
          for (const path of paths) await exportRun(store, "em", path, { schema });
        } finally {
          store.close();
        }
        const [parquet, jsonl] = [await readBack(paths[0]), await readBack(paths[1])];
        assert.ok(parquet.rows.length >= 2, `${parquet.rows.length} rows`);
        parquet.rows.forEach((row, i) => CHECKS[schema](fx, row, i, curated));
        assert.deepEqual(jsonl.rows, parquet.rows, "JSONL holds what Parquet holds");
        await assertGolden(schema, parquet);
      });
    }

    await t.step("deno task export --run: an eval run's right answers seed SFT", async () => {
      for (const schema of ["trl", "verl-sft", "openrlhf-sft"] as const) {
        const out = join(fx.dir, `ev-${schema}.jsonl`);
        const r = await runTask([
          "export",
          "--db",
          fx.db,
          "--run",
          "ev",
          "--schema",
          schema,
          "--out",
          out,
        ]);
        assert.equal(r.code, 0, r.stderr);
        const back = await readBack(out);
        // Auto mode writes programs: both-right and code-wins are right, text-wins is not.
        assert.equal(JSON.parse(r.stdout).rows, 2);
        assert.equal(back.rows.length, 2);
        back.rows.forEach((row, i) => CHECKS[schema](fx, row, i, evaluated));
      }
      const out = join(fx.dir, "ev-verl.parquet");
      const r = await runTask([
        "export",
        "--db",
        fx.db,
        "--run",
        "ev",
        "--schema",
        "verl",
        "--out",
        out,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const back = await readBack(out);
      assert.deepEqual(back.rows.map((row) => (row.extra_info as Row).problem_id), [
        "both-right",
        "code-wins",
        "text-wins",
      ]);
      back.rows.forEach((row, i) => {
        const info = row.extra_info as Row;
        assert.equal(info.mode, null);
        assert.equal(info.weight, null);
        CHECKS.verl(fx, { ...row, extra_info: { ...info, mode: "code", weight: 1 } }, i, evaluated);
      });
    });
  } finally {
    await fx.server.close();
    await Deno.remove(fx.dir, { recursive: true });
  }
});

Deno.test("exports: a raw prompt is exported as messages only when it writes out a ChatML conversation", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tocode-export-raw-" });
  const data = join(dir, "problems.jsonl");
  await Deno.writeTextFile(data, PROBLEMS.map((p) => JSON.stringify(p)).join("\n") + "\n");
  const server = await startVllmStandin({
    tokenizerDir: await writeQwenTokenizer(join(dir, "tokenizer")),
    answers: new Map(PROBLEMS.map((p) => [p.problem, p.answer])),
  });
  const db = join(dir, "runs.duckdb");
  try {
    for (const template of ["plain", "qwen25-math-cot"]) {
      const r = await runTask([
        "eval",
        "--model",
        `openai:${server.origin}`,
        "--prompt-template",
        template,
        "--dataset",
        data,
        "--temperature",
        "0",
        "--db",
        db,
        "--sandbox-workers",
        "1",
        "--run-id",
        template,
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
    const out = join(dir, "plain.jsonl");
    const refused = await runTask([
      "export",
      "--db",
      db,
      "--run",
      "plain",
      "--schema",
      "trl",
      "--out",
      out,
    ]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /Cannot export run "plain": prompt template "plain" writes a raw prompt that is not a ChatML conversation, and the schema needs chat messages/,
    );
    const own = await runTask([
      "export",
      "--db",
      db,
      "--run",
      "plain",
      "--schema",
      "tocode",
      "--out",
      out,
    ]);
    assert.equal(own.code, 0, own.stderr);
    assert.equal(JSON.parse(own.stdout).rows, 3, "tocode's own rows need no chat messages");

    // Qwen2.5-Math's CoT prompt is ChatML written out: its system and user messages, exactly.
    const cot = join(dir, "cot.parquet");
    const r = await runTask([
      "export",
      "--db",
      db,
      "--run",
      "qwen25-math-cot",
      "--schema",
      "verl",
      "--out",
      cot,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const back = await readBack(cot);
    const bodies = server.stats.bodies as { prompt?: string }[];
    for (const row of back.rows) {
      const [system, user] = row.prompt as Message[];
      const rendered =
        `<|im_start|>system\n${system.content}<|im_end|>\n<|im_start|>user\n${user.content}<|im_end|>\n<|im_start|>assistant\n`;
      assert.ok(bodies.some((b) => b.prompt === rendered), "the prompt the server received");
      assert.equal(
        system.content,
        "Please reason step by step, and put your final answer within \\boxed{}.",
      );
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
