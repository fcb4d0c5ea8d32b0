import * as vega from "vega";
import * as vl from "vega-lite";

/** A Vega-Lite specification (the subset of fields this project writes). */
export type ChartSpec = Record<string, unknown>;

/**
 * One colour per method in every chart of a report: the base model, the EM loop (`autocode`)
 * and its baselines. Charts that colour by something else use {@linkcode NEUTRAL_COLORS}, so no
 * method's colour ever means something else.
 */
export const METHOD_COLORS = {
  base: "#7f7f7f",
  autocode: "#1f77b4",
  grpo: "#d62728",
  sft: "#2ca02c",
} as const;

/** Colours of charts whose series are not methods (modes, metrics): none of the methods'. */
export const NEUTRAL_COLORS = ["#8c564b", "#9467bd", "#e377c2", "#bcbd22"] as const;

/** The colour encoding of a chart whose series are methods, in the report's fixed colours. */
export function methodColor(field = "method"): Record<string, unknown> {
  return {
    field,
    type: "nominal",
    title: "method",
    scale: { domain: Object.keys(METHOD_COLORS), range: Object.values(METHOD_COLORS) },
  };
}

/** The colour encoding of a chart whose series are not methods. */
export function neutralColor(field: string, title?: string): Record<string, unknown> {
  return { field, type: "nominal", title: title ?? field, scale: { range: [...NEUTRAL_COLORS] } };
}

/**
 * Renders a Vega-Lite chart to an SVG string with no browser or canvas (vega's headless view),
 * so the report is one self-contained HTML file that opens offline. A faceted chart (`facet` and
 * `spec`) sizes each of its cells instead of the whole.
 */
export async function renderChart(spec: ChartSpec): Promise<string> {
  const config = { font: "system-ui, sans-serif", view: { stroke: null } };
  const sized = "facet" in spec
    ? { config, ...spec, spec: { width: 150, height: 90, ...(spec.spec as ChartSpec) } }
    : { width: 420, height: 240, config, ...spec };
  const compiled = vl.compile(sized as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
