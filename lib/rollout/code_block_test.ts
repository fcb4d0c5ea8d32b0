import assert from "node:assert/strict";
import { outputBlock, trailingCodeBlock } from "./code_block.ts";
import { execOutputText } from "./exec_output.ts";
import {
  loadTemplate,
  modePrefix,
  type PromptTemplate,
  type RenderChat,
  renderPrompt,
  templates,
} from "./templates.ts";
import { CODE_TRIGGER, type Mode } from "./modes.ts";

Deno.test("trailingCodeBlock() finds the python block the model just closed", () => {
  const text = "We compute.\n```python\nx = 2**10\nprint(x)\n```\n";
  assert.deepEqual(trailingCodeBlock(text), { language: "python", code: "x = 2**10\nprint(x)\n" });
  assert.equal(trailingCodeBlock("```python\nprint(1)\n```\nSo the answer is 1."), undefined);
  assert.equal(trailingCodeBlock("```python\nprint(1)\n"), undefined, "an unclosed block");
  assert.deepEqual(trailingCodeBlock("```js\nconsole.log(1)\n```"), {
    language: "javascript",
    code: "console.log(1)\n",
  });
  const two = "```python\na=1\n```\n```output\n\n```\n```python\nprint(a)\n```\n";
  assert.equal(trailingCodeBlock(two)?.code, "print(a)\n", "the last block, not the first");
});

Deno.test("execOutputText() shows stdout, the error's last line, or the timeout", () => {
  const base = { stdout: "", stderr: "", error: null, truncated: false, durationMs: 5000 };
  assert.equal(execOutputText({ ...base, status: "ok", stdout: "1024\n" }), "1024\n");
  assert.equal(
    execOutputText({
      ...base,
      status: "error",
      stdout: "a\n",
      error: "NameError: name 'y' is not defined",
    }),
    "a\nNameError: name 'y' is not defined",
  );
  assert.match(
    execOutputText({ ...base, status: "timeout" }),
    /^TimeoutError: execution exceeded 5000 ms/,
  );
  assert.equal(outputBlock("7"), "```output\n7\n```\n");
});

Deno.test("templates put the mode's trigger where the model continues", async () => {
  const render = (t: PromptTemplate, mode: Mode, chat?: RenderChat) =>
    renderPrompt(t.build("What is 2+2?", mode), chat);
  assert.ok(render(templates.plain, "code").endsWith(`Solution: ${CODE_TRIGGER}\n`));
  assert.ok(render(templates.plain, "auto").endsWith("Solution: "));
  assert.equal(modePrefix("auto"), "");
  assert.throws(() => render(templates["qwen25-math-tir"], "auto"), /no chat template/);
  const chat = render(
    templates["qwen25-math-tir"],
    "code",
    (m) => m.map((x) => x.content).join("|"),
  );
  assert.match(chat, /programs to solve the problem.*\|What is 2\+2\?/);
  assert.ok(chat.endsWith(`${CODE_TRIGGER}\n`), "the mode's trigger opens the answer");
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/t.json`,
    JSON.stringify({ prompt: "Q: {problem}\nA: {prefix}" }),
  );
  assert.equal(
    renderPrompt((await loadTemplate(`${dir}/t.json`)).build("1+1", "auto")),
    "Q: 1+1\nA: ",
  );
  await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ prompt: "no placeholder" }));
  await assert.rejects(
    () => loadTemplate(`${dir}/bad.json`),
    /must be a string containing \{problem\}/,
  );
  await assert.rejects(() => loadTemplate("nope"), /unknown name \(known: plain/);
});
