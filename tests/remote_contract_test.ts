/**
 * Contract tests of tocode against a server that behaves as vLLM's OpenAI-compatible server does
 * (tests/fixtures/vllm_standin.ts: vLLM's routes, request checks, response and error shapes),
 * with a scripted model whose right and wrong answers are known in advance.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createOpenAIPolicy, loadTokenizer } from "../lib/policy/mod.ts";
import { openStore } from "../lib/store/mod.ts";
import { runTask } from "./_run_task.ts";
import {
  type Fault,
  type Standin,
  startVllmStandin,
  writeQwenTokenizer,
  WRONG_ANSWER,
} from "./fixtures/vllm_standin.ts";

/** Twelve problems with integer answers; the model gets every third one wrong: 8 of 12 right. */
const PROBLEMS = Array.from({ length: 12 }, (_, i) => ({
  id: `add-${i}`,
  problem: `What is ${17 + i} + ${25 * (i + 1)}?`,
  answer: String(17 + i + 25 * (i + 1)),
}));
const RIGHT = (problem: string) => PROBLEMS.findIndex((p) => p.problem === problem) % 3 !== 0;
const EXPECTED_ACCURACY = 8 / 12;

async function setup(options: { faults?: Fault[]; dead?: boolean; maxModelLen?: number } = {}) {
  const dir = await Deno.makeTempDir({ prefix: "tocode-remote-" });
  const data = join(dir, "adds.jsonl");
  await Deno.writeTextFile(data, PROBLEMS.map((p) => JSON.stringify(p)).join("\n") + "\n");
  const tokenizer = await writeQwenTokenizer(await Deno.makeTempDir({ prefix: "tocode-tok-" }));
  const server = await startVllmStandin({
    tokenizerDir: tokenizer,
    answers: new Map(PROBLEMS.map((p) => [p.problem, p.answer])),
    answersCorrectly: RIGHT,
    ...options,
  });
  return { dir, data, db: join(dir, "runs.duckdb"), tokenizer, server };
}

async function rows(db: string, run: string) {
  const store = await openStore(db, { readOnly: true });
  try {
    return await store.query<{
      problem_id: string;
      correct: boolean | null;
      error: string | null;
      error_kind: string | null;
      finish_reason: string | null;
      completion: string | null;
      used_code: boolean;
    }>(
      `SELECT problem_id, correct, error, error_kind, finish_reason, completion, used_code
       FROM rollouts WHERE run_id = $1 ORDER BY problem_id`,
      [run],
    );
  } finally {
    store.close();
  }
}

async function summary(dir: string, run: string) {
  const json = JSON.parse(await Deno.readTextFile(join(dir, `${run}.summary.json`)));
  return { ...json, all: json.groups.find((g: { group: string }) => g.group === "all") };
}

function eval_(s: { data: string; db: string }, model: string, ...more: string[]) {
  return runTask([
    "eval",
    "--model",
    model,
    "--dataset",
    s.data,
    "--db",
    s.db,
    "--temperature",
    "0",
    "--max-tokens",
    "400",
    ...more,
  ]);
}

Deno.test("vLLM contract: the raw path, the chat path and --tokenizer reach the model's accuracy", async (t) => {
  const s = await setup();
  try {
    await t.step("raw prompts to /v1/completions, from a URL without /v1", async () => {
      const r = await eval_(s, `openai:${s.server.origin}`, "--run-id", "raw");
      assert.equal(r.code, 0, r.stderr);
      const sum = await summary(s.dir, "raw");
      assert.equal(sum.all.accuracy.mean, EXPECTED_ACCURACY);
      assert.equal(sum.all.errors, 0);
      assert.equal(sum.provenance.model.served, "Qwen/Qwen2.5-Math-7B-Instruct");
      assert.equal(sum.provenance.model.maxModelLen, 4096);
      assert.equal(sum.provenance.sandbox.backend, "pyodide");
      assert.match(sum.provenance.sandbox.python, /^3\.\d+/);
      assert.match(sum.provenance.datasets[0].sha256, /^[0-9a-f]{64}$/);
      assert.equal(typeof sum.provenance.tocode.dirty, "boolean");
      const stored = await rows(s.db, "raw");
      assert.ok(stored.every((r) => r.used_code && r.finish_reason === "eos"), "TIR ran");
      // Every right answer came from the program's output, fed back by the TIR loop.
      const right = stored.filter((r) => r.correct);
      assert.equal(right.length, 8);
      assert.ok(right.every((r) => /```output\n\d+\n```\nSo the answer is/.test(r.completion!)));
      const bodies = s.server.stats.bodies as Record<string, unknown>[];
      assert.ok(bodies.every((b) => b.model === "Qwen/Qwen2.5-Math-7B-Instruct"));
      assert.ok(bodies.every((b) => (b.stop as string[]).includes("```output")));
    });

    await t.step(
      "chat messages to /v1/chat/completions, continued with continue_final_message",
      async () => {
        s.server.stats.bodies.length = 0;
        const r = await eval_(
          s,
          `${s.server.origin}/v1/`,
          "--prompt-template",
          "qwen25-math-tir",
          "--mode",
          "code",
          "--run-id",
          "chat",
        );
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await summary(s.dir, "chat")).all.accuracy.mean, EXPECTED_ACCURACY);
        const bodies = s.server.stats.bodies as {
          messages: { role: string; content: string }[];
          continue_final_message?: boolean;
          add_generation_prompt?: boolean;
        }[];
        assert.ok(bodies.length >= 24, `${bodies.length} chat requests`);
        assert.ok(
          bodies.every((b) => b.messages.at(-1)!.role === "assistant"),
          "code mode opens the answer",
        );
        assert.ok(
          bodies.every((b) =>
            b.continue_final_message === true && b.add_generation_prompt === false
          ),
        );
        const turns = bodies.filter((b) => b.messages.at(-1)!.content.includes("```output"));
        assert.equal(turns.length, 12, "each trajectory resumed once after its tool output");
        const stored = await rows(s.db, "chat");
        const store = await openStore(s.db, { readOnly: true });
        const [m] = await store.query<{ messages: string }>(
          "SELECT prompt_messages::VARCHAR AS messages FROM rollouts WHERE run_id = 'chat' LIMIT 1",
        );
        store.close();
        assert.deepEqual(JSON.parse(m.messages).map((x: { role: string }) => x.role), [
          "system",
          "user",
          "assistant",
        ]);
        assert.equal(stored.length, 12);
      },
    );

    await t.step(
      "--tokenizer renders the chat template locally and sends raw prompts",
      async () => {
        s.server.stats.bodies.length = 0;
        const chatBefore = s.server.stats.chat;
        const r = await eval_(
          s,
          s.server.origin,
          "--tokenizer",
          s.tokenizer,
          "--prompt-template",
          "qwen25-math-tir",
          "--run-id",
          "local-template",
        );
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await summary(s.dir, "local-template")).all.accuracy.mean, EXPECTED_ACCURACY);
        assert.equal(s.server.stats.chat, chatBefore, "no chat request");
        // The prompt goes as the ids of the locally rendered chat, and each turn continues them.
        const tokenizer = await loadTokenizer(s.tokenizer);
        const bodies = s.server.stats.bodies as {
          prompt: number[];
          return_tokens_as_token_ids: boolean;
        }[];
        assert.ok(bodies.every((b) => Array.isArray(b.prompt) && b.return_tokens_as_token_ids));
        const first = tokenizer.decode(bodies[0].prompt, { keepSpecial: true });
        assert.match(first, /^<\|im_start\|>system\nPlease integrate natural language reasoning/);
        assert.match(first, /<\|im_start\|>assistant\n$/);
        const store = await openStore(s.db, { readOnly: true });
        const rows = await store.query<{ ids_exact: boolean; mask: number[] }>(
          "SELECT ids_exact, response_mask AS mask FROM rollouts WHERE run_id = 'local-template'",
        );
        store.close();
        assert.ok(rows.every((r) => r.ids_exact && r.mask.includes(0)), "token-native, masked");
        const sum = await summary(s.dir, "local-template");
        assert.match(sum.provenance.template.chatTemplateSha256, /^[0-9a-f]{64}$/);
      },
    );

    await t.step(
      "--preset qwen25-math sends Qwen2.5-Math's settings and formats its turns",
      async () => {
        s.server.stats.bodies.length = 0;
        const r = await eval_(s, s.server.origin, "--preset", "qwen25-math", "--run-id", "qwen");
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await summary(s.dir, "qwen")).all.accuracy.mean, EXPECTED_ACCURACY);
        const bodies = s.server.stats.bodies as Record<string, unknown>[];
        for (const b of bodies) {
          assert.equal(b.temperature, 0);
          assert.equal(b.top_p, 1);
          assert.ok((b.max_tokens as number) <= 2048);
          assert.deepEqual(
            [...(b.stop as string[])].sort(),
            ["\n\n---", "</s>", "<|endoftext|>", "<|im_end|>", "```output"].sort(),
          );
        }
        assert.match(
          (bodies[0] as { prompt: string }).prompt,
          /\nQuestion: What is 17 \+ 25\?\n\nSolution:\n$/,
        );
        const stored = await rows(s.db, "qwen");
        assert.ok(stored.every((x) => /```\n```output\n\d+\n```\n/.test(x.completion!)));
      },
    );
  } finally {
    await s.server.close();
  }
});

Deno.test("vLLM contract: n, both logprobs shapes, token ids, 404 and 400 bodies", async () => {
  const s = await setup({ maxModelLen: 300 });
  try {
    const url = `${s.server.origin}/v1`;
    const policy = await createOpenAIPolicy({ baseUrls: [url] });
    assert.equal(policy.maxModelLen, 300);
    const problem = PROBLEMS[1].problem;
    const [raw, chat] = await policy.generate([
      {
        prompt: `Problem: ${problem}\nSolution: `,
        n: 3,
        logprobs: true,
        maxNewTokens: 64,
        stop: ["```output"],
      },
      { messages: [{ role: "user", content: problem }], n: 2, logprobs: true, maxNewTokens: 64 },
    ]);
    assert.equal(raw.completions.length, 3);
    for (const c of raw.completions) {
      assert.equal(c.finishReason, "stop");
      assert.equal(c.stop, "```output");
      assert.equal(c.logprobs!.length, c.completionTokens);
      assert.ok(c.tokens!.join("").startsWith(c.text), "the tokens spell the text");
    }
    assert.equal(chat.completions.length, 2);
    assert.ok(chat.completions.every((c) => c.logprobs!.every((x) => x === -0.25)));
    assert.ok(chat.completions.every((c) => c.finishReason === "eos"));
    // A budget smaller than the answer: finish_reason length.
    const [short] = await policy.generate([{ prompt: problem, maxNewTokens: 3 }]);
    assert.equal(short.completions[0].finishReason, "length");

    // vLLM refuses max_tokens beyond the context: the client takes what is left, as vLLM would
    // with no max_tokens, and a prompt longer than the context fails as too long.
    const [clamped] = await policy.generate([{ prompt: problem, maxNewTokens: 1000 }]);
    assert.ok(clamped.completions[0].text.length > 0);
    await assert.rejects(
      () => policy.generate([{ prompt: "x".repeat(400), maxNewTokens: 10 }]),
      (e: Error) =>
        e.name === "PromptTooLongError" && /maximum context length is 300/.test(e.message),
    );
    await assert.rejects(
      () => createOpenAIPolicy({ baseUrls: [url], model: "gpt-4" }),
      /does not serve "gpt-4" \(it lists "Qwen\/Qwen2\.5-Math-7B-Instruct"/,
    );
    const missing = await fetch(`${s.server.origin}/v1/nope`);
    assert.deepEqual(await missing.json(), { detail: "Not Found" });
    await assert.rejects(
      () => createOpenAIPolicy({ baseUrls: [`${s.server.origin}/api/v1`], maxRetries: 0 }),
      /server answered 404: Not Found/,
    );
    const wrongModel = await fetch(`${url}/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4", prompt: "hi" }),
    });
    assert.equal(wrongModel.status, 404);
    assert.equal((await wrongModel.json()).error.message, "The model `gpt-4` does not exist.");
    await policy.close();
  } finally {
    await s.server.close();
  }
});

Deno.test("vLLM contract: 503 with Retry-After, 500 and dropped connections are retried, nothing lost", async () => {
  const s = await setup({ faults: ["503", "500", "drop", "503", "drop"] });
  try {
    const r = await eval_(s, s.server.origin, "--run-id", "faults");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(s.server.stats.faults, 5);
    assert.equal((r.stderr.match(/retrying in/g) ?? []).length, 5, r.stderr);
    const sum = await summary(s.dir, "faults");
    assert.equal(sum.all.samples, 12);
    assert.equal(sum.all.errors, 0);
    assert.equal(sum.all.accuracy.mean, EXPECTED_ACCURACY);
  } finally {
    await s.server.close();
  }
});

Deno.test("vLLM contract: a dead server fails the run loudly; the resume retries its failed samples", async () => {
  const s = await setup({ dead: true });
  let healthy: Standin | undefined;
  try {
    const dead = await eval_(s, s.server.origin, "--run-id", "outage", "--max-retries", "1");
    assert.equal(dead.code, 1, dead.stderr);
    assert.match(
      dead.stderr,
      /Cannot finish run "outage": \d+ of \d+ samples failed .*first error, \d+×: Cannot generate: server answered 500: EngineCore encountered an issue/,
    );
    const stored = await rows(s.db, "outage");
    assert.ok(stored.length > 0 && stored.every((x) => x.error !== null && x.correct === null));
    assert.ok(stored.every((x) => x.error_kind === "server"));
    const sum = await summary(s.dir, "outage");
    assert.equal(sum.status, "failed");
    assert.equal(sum.all.errors, stored.length);
    assert.ok(
      Number.isNaN(sum.all.accuracy.mean) || sum.all.accuracy.mean === null,
      "no accuracy from failures",
    );

    // The same server back, healthy, on the same address: the resume runs every sample again.
    const port = Number(new URL(s.server.origin).port);
    await s.server.close();
    healthy = await startVllmStandin({
      tokenizerDir: s.tokenizer,
      answers: new Map(PROBLEMS.map((p) => [p.problem, p.answer])),
      answersCorrectly: RIGHT,
      port,
    });
    const changed = await eval_(s, healthy.origin, "--run-id", "outage", "--max-tokens", "300");
    assert.equal(changed.code, 1);
    assert.match(
      changed.stderr,
      /Cannot resume run "outage": --max-tokens differs from the stored run's \(--force resumes anyway/,
    );
    const resumed = await eval_(s, healthy.origin, "--run-id", "outage");
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`retried ${stored.length} that had failed`));
    const after = await summary(s.dir, "outage");
    assert.equal(after.status, "finished");
    assert.equal(after.all.errors, 0);
    assert.equal(after.all.samples, 12);
    assert.equal(after.all.accuracy.mean, EXPECTED_ACCURACY);
  } finally {
    await (healthy ?? s.server).close();
  }
});

Deno.test("vLLM contract: a prompt over the model's context is its own kind of error, not retried", async () => {
  const s = await setup({ maxModelLen: 20 });
  try {
    const r = await eval_(s, s.server.origin, "--run-id", "long", "--max-error-rate", "1");
    assert.equal(r.code, 0, r.stderr);
    const stored = await rows(s.db, "long");
    assert.ok(stored.every((x) => x.error_kind === "prompt_too_long"), JSON.stringify(stored[0]));
    const again = await eval_(s, s.server.origin, "--run-id", "long", "--max-error-rate", "1");
    assert.match(again.stderr, /retried 0 that had failed, skipped 12 already done/);
    assert.ok(!stored.some((x) => x.completion?.includes(WRONG_ANSWER)));
  } finally {
    await s.server.close();
  }
});
