import assert from "node:assert/strict";
import { modePrefix } from "../rollout/templates.ts";
import { parseRecords } from "./records_jsonl.ts";

Deno.test("parseRecords() reads TrainRecord rows, with defaults for the optional fields", () => {
  const records = parseRecords(
    `{"problemId":"p1","prompt":"Q","completion":"A","reward":1,"logprobs":[-0.5]}\n\n` +
      `{"problemId":"p1","prompt":"Q","completion":"B","reward":0,"imitate":true,"reinforce":false}`,
  );
  assert.equal(records.length, 2);
  assert.deepEqual(
    [records[0].imitate, records[0].reinforce, records[0].logprobs],
    [false, true, [-0.5]],
  );
  assert.deepEqual([records[1].imitate, records[1].reinforce], [true, false]);
});

Deno.test("parseRecords() turns a curate export row into reinforced, imitated and decision records", () => {
  const prompt = `Problem: 2+2\nSolution: ${modePrefix("code")}`;
  const records = parseRecords(
    JSON.stringify({
      run_id: "c1",
      problem_id: "p",
      mode: "code",
      sample_idx: 0,
      prompt,
      completion: "```python\nprint(4)\n```",
      reward: 1,
      logprobs: [-0.1, -0.2],
      used_code: true,
      imitate: true,
    }),
  );
  // One reinforced, one imitated, and the drawn decision twice (as often as the query's records).
  assert.equal(records.length, 4);
  assert.equal(records[0].prompt, prompt);
  assert.deepEqual([records[0].reinforce, records[0].imitate], [true, false]);
  assert.deepEqual(records[0].logprobs, [-0.1, -0.2]);
  // Imitated under the auto prompt: the trigger becomes the start of what the model learns.
  assert.equal(records[1].prompt, "Problem: 2+2\nSolution: ");
  assert.ok(records[1].completion.startsWith(modePrefix("code")));
  assert.deepEqual([records[1].reinforce, records[1].imitate, records[1].eos], [false, true, true]);
  assert.equal(records[1].usedCode, true);
  // The drawn decision: the trigger alone under the auto prompt.
  for (const decision of records.slice(2)) {
    assert.deepEqual(
      [decision.prompt, decision.completion, decision.decide, decision.imitate, decision.reinforce],
      ["Problem: 2+2\nSolution: ", modePrefix("code"), true, false, false],
    );
  }
});

Deno.test("parseRecords() reads prompt/completion pairs (trl export) as imitated records", () => {
  const [r] = parseRecords(`{"problem_id":"p","prompt":"Q","completion":"A","reward":1}`);
  assert.deepEqual([r.problemId, r.imitate, r.reinforce, r.eos], ["p", true, false, true]);
});

Deno.test("parseRecords() names the line and the field of a bad row", () => {
  assert.throws(
    () =>
      parseRecords(`{"problemId":"p","prompt":"Q","completion":"A","reward":1}\nnot json`, {
        path: "x.jsonl",
      }),
    /Cannot read training records: line 2 is not valid JSON.*\(x\.jsonl\)/,
  );
  assert.throws(
    () => parseRecords(`{"problemId":"p","prompt":"Q","completion":"A","reward":"high"}`),
    /line 1 has a bad "reward"/,
  );
  assert.throws(() => parseRecords("\n"), /none/);
});
