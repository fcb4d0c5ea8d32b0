/**
 * `deno task bench [NAME...]`: runs the named benchmarks (all without a name). Each prints a
 * readable table and, as its very last line, one JSON object of its figures for scripts.
 *
 * @module
 */
import { formatTable } from "./harness.ts";
import { benchmarks } from "./mod.ts";

if (import.meta.main) {
  const names = Deno.args.filter((a) => !a.startsWith("-"));
  const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(
      `Cannot run benchmark "${unknown[0]}": no such benchmark (known: ${
        benchmarks.map((b) => b.name).join(", ")
      })`,
    );
    Deno.exit(2);
  }
  const selected = names.length ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;
  for (const bench of selected) {
    console.log(`\n## ${bench.name}: ${bench.description}\n`);
    const result = await bench.run();
    console.log(formatTable(result.table));
    for (const note of result.notes ?? []) console.log(note);
    console.log(JSON.stringify({ bench: bench.name, ...result.figures }));
  }
}
