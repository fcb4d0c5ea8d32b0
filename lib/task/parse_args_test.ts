import assert from "node:assert/strict";
import { z } from "zod";
import { UsageError } from "./errors.ts";
import { parseTaskArgs } from "./parse_args.ts";
import { renderHelp } from "./render_help.ts";

const schema = z.object({
  model: z.string().describe("model folder or URL"),
  limit: z.number().int().positive().optional().describe("problems to use"),
  temperature: z.number().min(0).default(0.7).describe("sampling temperature"),
  shuffle: z.boolean().default(false).describe("shuffle first"),
  progress: z.boolean().default(true).describe("show progress"),
  mode: z.enum(["text", "code", "auto"]).default("auto").describe("rollout mode"),
  dataset: z.array(z.string()).default(["math500"]).describe("datasets"),
  kSizes: z.array(z.number().int()).default([]).describe("k values"),
  maxCodeCalls: z.number().int().default(4).describe("code calls per trajectory"),
});

const parse = (argv: string[], readTextFile?: (p: string) => string) => {
  const parsed = parseTaskArgs(schema, argv, { readTextFile });
  if (parsed.help) throw new Error("unexpected help");
  return parsed.args;
};

Deno.test("parseTaskArgs() parses every kind of flag and fills defaults from the schema", () => {
  const args = parse([
    "--model=m",
    "--limit",
    "5",
    "--temperature",
    "0",
    "--shuffle",
    "--no-progress",
    "--mode",
    "code",
    "--dataset",
    "aime24",
    "--dataset",
    "aime25",
    "--k-sizes",
    "1",
    "--k-sizes",
    "8",
  ]);
  assert.deepEqual(args, {
    model: "m",
    limit: 5,
    temperature: 0,
    shuffle: true,
    progress: false,
    mode: "code",
    dataset: ["aime24", "aime25"],
    kSizes: [1, 8],
    maxCodeCalls: 4,
  });
  assert.deepEqual(parse(["--model", "m"]).dataset, ["math500"]);
});

Deno.test("parseTaskArgs() merges --config under the command-line flags", () => {
  const files: Record<string, string> = {
    "c.json": JSON.stringify({ model: "from-config", "max-code-calls": 2, temperature: 0.1 }),
  };
  const args = parse(["--config", "c.json", "--temperature", "0.9"], (p) => files[p]);
  assert.equal(args.model, "from-config");
  assert.equal(args.maxCodeCalls, 2, "kebab-case keys in the config are accepted");
  assert.equal(args.temperature, 0.9, "the command line wins over the config");
});

const bad: [string, string[], RegExp][] = [
  ["an unknown flag", ["--model", "m", "--limt", "3"], /unknown flag --limt/],
  [
    "a number flag given text",
    ["--model", "m", "--limit", "abc"],
    /--limit expects a number, got "abc"/,
  ],
  [
    "an enum flag given a value outside it",
    ["--model", "m", "--mode", "py"],
    /--mode expects one of text, code, auto, got "py"/,
  ],
  ["a missing required flag", [], /--model is required/],
  [
    "a value below the minimum",
    ["--model", "m", "--limit", "0"],
    /--limit expects a value > 0, got 0/,
  ],
  ["a positional argument", ["--model", "m", "extra"], /unexpected argument "extra"/],
  ["a flag without its value", ["--model"], /--model expects a value/],
];

for (const [what, argv, message] of bad) {
  Deno.test(`parseTaskArgs() refuses ${what} with a one-line error naming the flag`, () => {
    assert.throws(() => parse(argv), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /^Cannot parse arguments: /);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });
}

Deno.test("parseTaskArgs() refuses a config with an unknown key or bad JSON", () => {
  const files: Record<string, string> = { "a.json": '{"modle": "x"}', "b.json": "{nope" };
  assert.throws(
    () => parse(["--config", "a.json"], (p) => files[p]),
    /unknown option "modle" \(a\.json\)/,
  );
  assert.throws(
    () => parse(["--config", "b.json"], (p) => files[p]),
    /Cannot read config: invalid JSON/,
  );
  assert.throws(
    () =>
      parse(["--config", "c.json"], () => {
        throw new Error("No such file");
      }),
    /Cannot read config: No such file \(--config c\.json\)/,
  );
});

Deno.test("parseTaskArgs() puts positionals into the named field when the task takes them", () => {
  const withNames = z.object({ names: z.array(z.string()).default([]) });
  const parsed = parseTaskArgs(withNames, ["store", "grade"], { positional: "names" });
  assert.deepEqual(parsed, { help: false, args: { names: ["store", "grade"] } });
  assert.deepEqual(parseTaskArgs(withNames, ["--help"]), { help: true });
});

Deno.test("renderHelp() lists every flag with its type, choices, default and description", () => {
  const help = renderHelp({ name: "eval", description: "Evaluate a model.", args: schema });
  assert.match(help, /^Usage: deno task eval \[flags\]/);
  assert.match(help, /Evaluate a model\./);
  assert.match(help, /--model <string>\s+model folder or URL \(required\)/);
  assert.match(help, /--temperature <number>\s+sampling temperature \(default: 0\.7\)/);
  assert.match(help, /--\[no-\]progress\s+show progress \(default: true\)/);
  assert.match(help, /--mode <text\|code\|auto>\s+rollout mode \(default: "auto"\)/);
  assert.match(help, /--dataset <string>\s+datasets \(repeatable, default: \["math500"\]\)/);
  assert.match(help, /--max-code-calls <number>/);
  assert.match(help, /--config <file>/);
});
