import * as vega from "vega";
import * as vl from "vega-lite";

/** A Vega-Lite specification (the subset of fields this project writes). */
export type ChartSpec = Record<string, unknown>;

/**
 * Renders a Vega-Lite chart to an SVG string with no browser or canvas (vega's headless view),
 * so the report is one self-contained HTML file that opens offline.
 */
export async function renderChart(spec: ChartSpec): Promise<string> {
  const compiled = vl.compile({
    width: 420,
    height: 240,
    config: { font: "system-ui, sans-serif", view: { stroke: null } },
    ...spec,
  } as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
