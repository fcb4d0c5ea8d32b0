import assert from "node:assert/strict";
import type { Completion } from "../../policy/types.ts";
import type { Mode } from "../../rollout/modes.ts";
import { templates } from "../../rollout/templates.ts";
import { runTrajectory } from "../../rollout/tir_loop.ts";
import type { ExecSemantics } from "../../sandbox/options.ts";
import type { ExecResult } from "../../sandbox/types.ts";
import { chatMessagesOfChatml, trajectoryMessages } from "./messages.ts";

/**
 * Turns as the TIR loop makes them: `steps` are what the model writes each call (a step that
 * ends in a closed python block stops at "```output"), `results` what each cell prints.
 */
async function turnsOf(
  steps: string[],
  results: Partial<ExecResult>[],
  options: { mode?: Mode; semantics?: ExecSemantics; maxCodeCalls?: number } = {},
) {
  let step = 0;
  let cell = 0;
  const trajectory = await runTrajectory({ kind: "text", text: "Problem: x\nSolution: " }, {
    mode: options.mode ?? "code",
    generate: (_input, o): Promise<Completion> => {
      const text = steps[step++];
      const stopped = text.trimEnd().endsWith("```") && o.stop.includes("```output");
      return Promise.resolve({
        text,
        finishReason: stopped ? "stop" : "eos",
        stop: stopped ? "```output" : undefined,
        promptTokens: 1,
        completionTokens: text.length,
      });
    },
    sandbox: {
      exec: () =>
        Promise.resolve({
          status: "ok",
          stdout: "",
          stderr: "",
          error: null,
          truncated: false,
          durationMs: 1,
          ...results[cell++],
        }),
      endSession: () => {},
    },
    session: "s",
    settings: {
      maxTokens: 10_000,
      maxCodeCalls: options.maxCodeCalls ?? 4,
      execTimeoutMs: 1000,
      execSemantics: options.semantics ?? "notebook",
    },
    stop: [],
  });
  return trajectory.turns;
}

Deno.test("trajectoryMessages() makes each executed block a code_interpreter call and its output a tool turn", async () => {
  const turns = await turnsOf(
    [
      "Multiply first.\n```python\nprint(12 * 34)\n```\n",
      "Now add.\n```python\nprint(408 + 1)\n```\n",
      "So the answer is \\boxed{409}.",
    ],
    [{ stdout: "408\n" }, { stdout: "409\n" }],
  );
  const call = (code: string) => [{
    type: "function" as const,
    function: { name: "code_interpreter" as const, arguments: { code } },
  }];
  assert.deepEqual(trajectoryMessages(turns, "code"), [
    {
      role: "assistant",
      content:
        "Let's first analyze the problem, then consider if python code could help.\nMultiply first.",
      tool_calls: call("print(12 * 34)\n"),
    },
    { role: "tool", content: "408" },
    { role: "assistant", content: "Now add.", tool_calls: call("print(408 + 1)\n") },
    { role: "tool", content: "409" },
    { role: "assistant", content: "So the answer is \\boxed{409}." },
  ]);
});

Deno.test("trajectoryMessages() keeps an error's last line and the call-limit note in the tool turn (Qwen's harness)", async () => {
  const turns = await turnsOf(
    ["Try.\n```python\n1/0\n```"],
    [{ status: "error", stderr: "Traceback\nZeroDivisionError: division by zero" }],
    { semantics: "qwen", maxCodeCalls: 1 },
  );
  const messages = trajectoryMessages(turns, "auto");
  assert.deepEqual(messages.map((m) => m.role), ["assistant", "tool"]);
  assert.equal(messages[0].content, "Try.");
  assert.equal(
    messages[1].content,
    "ZeroDivisionError: division by zero\nReach max function call limit.",
  );
});

Deno.test("trajectoryMessages() leaves a text trajectory one assistant turn, code it never ran included", async () => {
  const text = "Count them.\n```python\nlen(primes)\n```\nThere are \\boxed{8}.";
  const turns = await turnsOf([text], [], { mode: "text" });
  assert.deepEqual(trajectoryMessages(turns, "text"), [
    { role: "assistant", content: `Let's reason step by step without code.\n${text}` },
  ]);
});

Deno.test("trajectoryMessages() refuses turns it cannot place", () => {
  assert.throws(
    () =>
      trajectoryMessages([
        { kind: "text", text: "```javascript\nconsole.log(1)\n```\n" },
        { kind: "code", text: "console.log(1)\n", language: "javascript" },
      ], "code"),
    /turn 1 ran javascript, and the code_interpreter tool runs python/,
  );
  assert.throws(
    () =>
      trajectoryMessages([
        { kind: "text", text: "```python\nprint(1)\n```\n" },
        { kind: "code", text: "print(2)\n", language: "python" },
      ], "code"),
    /the code of turn 1 is not the block its text ends with/,
  );
  assert.throws(
    () => trajectoryMessages([{ kind: "output", text: "```output\n1\n```\n" }], "code"),
    /the output of turn 0 follows no executed code/,
  );
});

Deno.test("chatMessagesOfChatml() reads Qwen2.5-Math's CoT prompt and no other raw prompt", () => {
  const cot = templates["qwen25-math-cot"].build("  What is 2+2? ", "auto");
  assert.equal(cot.kind, "raw");
  assert.deepEqual(chatMessagesOfChatml(cot.kind === "raw" ? cot.text : ""), [
    {
      role: "system",
      content: "Please reason step by step, and put your final answer within \\boxed{}.",
    },
    { role: "user", content: "What is 2+2?" },
  ]);
  for (const name of ["plain", "tool-integrated"]) {
    const built = templates[name].build("What is 2+2?", "auto");
    assert.equal(chatMessagesOfChatml(built.kind === "raw" ? built.text : ""), undefined, name);
  }
  // A forced mode's opening words after the assistant tag are not part of a prompt's messages.
  const code = templates["qwen25-math-cot"].build("What is 2+2?", "code");
  assert.equal(chatMessagesOfChatml(code.kind === "raw" ? code.text : ""), undefined);
});
