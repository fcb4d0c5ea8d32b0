import assert from "node:assert/strict";
import { join } from "node:path";
import { beginRun, openStore, RolloutWriter, upsertProblems } from "../lib/store/mod.ts";

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});

const HEADLESS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

Deno.test({
  name: "`deno task report` writes HTML that headless Chromium renders with its charts",
  ignore: !chromium,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tocode-report-" });
    const db = join(dir, "r.duckdb");
    const store = await openStore(db);
    await upsertProblems(
      store,
      [1, 2, 3, 4].map((level) => ({
        id: `p${level}`,
        dataset: "d",
        problem: "q",
        answer: "1",
        metadata: { level, subject: level % 2 ? "Algebra" : "Geometry" },
      })),
    );
    await beginRun(store, "eval", { id: "ev", args: { mode: "auto" } });
    const writer = await RolloutWriter.open(store, "ev");
    for (const level of [1, 2, 3, 4]) {
      for (let s = 0; s < 2; s++) {
        await writer.write({
          problem_id: `p${level}`,
          mode: "auto",
          sample_idx: s,
          correct: level <= 2 + s,
          answer: "1",
        });
      }
    }
    await writer.close();
    store.close();

    const out = join(dir, "report.html");
    const task = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../tasks/main.ts", import.meta.url).pathname,
        "report",
        "--db",
        db,
        "--run",
        "ev",
        "--out",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(task.code, 0, new TextDecoder().decode(task.stderr));
    assert.equal(new TextDecoder().decode(task.stdout).trim(), out);

    const profile = await Deno.makeTempDir();
    const png = join(dir, "report.png");
    const shot = await new Deno.Command(chromium!, {
      args: [
        ...HEADLESS,
        `--user-data-dir=${profile}`,
        `--screenshot=${png}`,
        "--window-size=1200,1600",
        `file://${out}`,
      ],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(shot.code, 0);
    const image = await Deno.readFile(png);
    assert.deepEqual([...image.slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");
    assert.ok(image.length > 10_000, `screenshot of ${image.length} bytes looks empty`);

    const dom = await new Deno.Command(chromium!, {
      args: [...HEADLESS, `--user-data-dir=${profile}`, "--dump-dom", `file://${out}`],
      stdout: "piped",
      stderr: "null",
    }).output();
    const html = new TextDecoder().decode(dom.stdout);
    const svgs = html.match(/<svg[\s>]/g)?.length ?? 0;
    assert.equal(svgs, 3, "accuracy by level, by subject, pass@k");
    assert.match(html, /accuracy by level/);
  },
});
