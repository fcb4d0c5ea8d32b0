import assert from "node:assert/strict";
import { charTokenizer } from "../model/char_tokenizer.ts";
import { createTokenizer } from "../policy/tokenizer.ts";
import { modePrefix } from "../rollout/templates.ts";
import { initBackend } from "./backend.ts";
import { disposeBatch, encodeRecord, makeBatch } from "./batch.ts";
import { type CuratedRow, decisionRecords } from "./curated_records.ts";

await initBackend("wasm");

const auto = (q: string) => `Problem: ${q}\nSolution: `;
const row = (problemId: string, mode: "text" | "code", over: Partial<CuratedRow> = {}) => ({
  problem_id: problemId,
  mode,
  prompt: auto(problemId) + modePrefix(mode),
  completion: "x",
  reward: 0,
  imitate: false,
  drawn: false,
  ...over,
});

Deno.test("decisionRecords(): one trigger per drawn (query, mode), as often as the query's records", () => {
  const rows: CuratedRow[] = [
    // q1: code drawn, one of its two code rollouts right; its text rollouts are not drawn.
    row("q1", "code", { drawn: true, imitate: true, reward: 1 }),
    row("q1", "code", { drawn: true }),
    row("q1", "text"),
    row("q1", "text"),
    // q2: text drawn though none of its rollouts was right (a finite alpha can draw it).
    row("q2", "text", { drawn: true }),
    row("q2", "code"),
  ];
  const records = decisionRecords(rows);
  const q1 = records.filter((r) => r.problemId === "q1");
  const q2 = records.filter((r) => r.problemId === "q2");
  // q1 has 5 records in the other terms (4 reinforced, 1 imitated), q2 has 2.
  assert.equal(q1.length, 5);
  assert.equal(q2.length, 2);
  assert.deepEqual(
    [q1[0].prompt, q1[0].completion, q1[0].decide, q1[0].imitate, q1[0].reinforce],
    [auto("q1"), modePrefix("code"), true, false, false],
  );
  assert.equal(q2[0].completion, modePrefix("text"));
  // Without the drawn flag (an export's rows), a drawn mode's successes tell.
  const exported = decisionRecords(rows.map(({ drawn: _, ...r }) => r));
  assert.deepEqual([...new Set(exported.map((r) => `${r.problemId}/${r.mode}`))], ["q1/code"]);
  // A prompt without the trigger (a chat template) has no decision to train.
  assert.deepEqual(decisionRecords([row("q3", "code", { drawn: true, prompt: "chat" })]), []);
});

Deno.test("a decision record with token ids trains only the prompt's trigger tokens", () => {
  const files = charTokenizer();
  const tokenizer = createTokenizer(files.tokenizer, files.tokenizerConfig);
  const promptIds = tokenizer.encode(auto("q1") + modePrefix("code"));
  const [record] = decisionRecords([
    row("q1", "code", {
      drawn: true,
      prompt_ids: promptIds,
      response_ids: [5, 6],
      response_mask: [1, 1],
      response_logprobs: [-1, -1],
    }),
  ]);
  const encoded = encodeRecord(record, tokenizer, { maxLength: 500, eos: 0 });
  assert.deepEqual(encoded.ids, promptIds);
  const trigger = tokenizer.encode(modePrefix("code"), { addSpecialTokens: false }).length;
  assert.deepEqual(encoded.generated, [
    ...promptIds.slice(0, -trigger).map(() => 0),
    ...promptIds.slice(-trigger).map(() => 1),
  ]);
  const batch = makeBatch([encoded, encoded], [record, { ...record, decide: false }], [0, 0], 0);
  const mask = batch.decisionMask.arraySync() as number[][];
  assert.deepEqual(mask.map((m) => m.reduce((s, v) => s + v, 0)), [trigger, 0]);
  assert.equal(batch.decisions.dataSync()[0], 1);
  disposeBatch(batch);
});
