import { prefillGroups } from "./_prefill.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const loose = {
  heads: 4,
  vocab: 1,
  prefillLogits: Infinity,
  prefillScores: Infinity,
  prefillPadding: 0.2,
};

Deno.test("prefillGroups() keeps prompts of similar length together and splits off long ones", () => {
  // Short prompts stay in one group even with much padding (under 512 padded positions).
  assert(prefillGroups([2, 10, 40, 100], loose).length === 1, "small prompts: one group");
  // MATH500-like spread: every group pads at most 20% of its positions, or is small.
  const lengths = Array.from({ length: 64 }, (_, i) => Math.round(80 * 1.05 ** i)).sort((a, b) =>
    a - b
  );
  const groups = prefillGroups(lengths, loose);
  assert(groups.length > 1, "a wide spread splits");
  let next = 0;
  for (const { start, end } of groups) {
    assert(start === next && end > start, `groups cover the rows in order: ${start}..${end}`);
    const rows = lengths.slice(start, end);
    const padded = rows.length * rows[rows.length - 1];
    const real = rows.reduce((s, n) => s + n, 0);
    assert(padded <= 512 || padded - real <= 0.2 * padded, `group ${start}..${end} pads too much`);
    next = end;
  }
  assert(next === lengths.length, "every row is in a group");
  // Equal lengths never split on padding; the logits bound still does.
  assert(prefillGroups(Array(64).fill(300), loose).length === 1, "equal lengths: one group");
  const bounded = prefillGroups(Array(64).fill(300), {
    ...loose,
    vocab: 100,
    prefillLogits: 300 * 100 * 16,
  });
  assert(bounded.length === 4 && bounded.every((g) => g.end - g.start === 16), "logits bound");
  // Long prompts split on their attention scores (rows × heads × length²), one alone if need be.
  const scores = prefillGroups([1000, 1000, 1000, 3000], { ...loose, prefillScores: 8e6 });
  assert(
    scores.map((g) => g.end - g.start).join() === "2,1,1",
    `scores bound: ${JSON.stringify(scores)}`,
  );
  // A padding share of 1 never splits.
  assert(
    prefillGroups(lengths, { ...loose, prefillPadding: 1 }).length === 1,
    "share 1: one group",
  );
});
