/** A small line-chart renderer: stacked panels of time series as a standalone SVG. Pure, no dependencies. */

export interface Series {
  label: string;
  color: string;
  points: Array<[number, number]>;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Vertical lines marking a moment, e.g. when Salesforce came back. */
  markers?: Array<{ x: number; label: string }>;
}

const WIDTH = 960;
const PANEL_HEIGHT = 280;
const MARGIN = { left: 78, right: 24, top: 44, bottom: 48 };
const HEADER = 64;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round tick step giving about `count` ticks up to `max` (1, 2, 2.5 or 5 times a power of ten). */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return step;
}

function formatTick(value: number): string {
  if (value >= 1_000_000) return `${+(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${+(value / 1000).toFixed(1)}k`;
  return String(+value.toFixed(2));
}

function renderPanel(panel: Panel, top: number): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = top + MARGIN.top;
  const all = panel.series.flatMap((s) => s.points);
  const xStep = niceStep(Math.max(1, ...all.map(([x]) => x)), 10);
  // Headroom above the highest point keeps the legend (top right) off the lines.
  const legendShare = (panel.series.length * 20 + 16) / plotHeight;
  const yTop = Math.max(1, ...all.map(([, y]) => y)) / Math.max(0.3, 1 - legendShare - 0.05);
  const yStep = niceStep(yTop, 5);
  const xMax = Math.ceil(Math.max(1, ...all.map(([x]) => x)) / xStep) * xStep;
  const yMax = Math.ceil(yTop / yStep) * yStep;
  const sx = (x: number) => x0 + (x / xMax) * plotWidth;
  const sy = (y: number) => y0 + plotHeight - (y / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(`<text x="${x0}" y="${top + 26}" class="title">${escapeXml(panel.title)}</text>`);
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    parts.push(`<line x1="${x0}" x2="${x0 + plotWidth}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${x0 - 8}" y="${(sy(y) + 4).toFixed(1)}" class="tick" text-anchor="end">${formatTick(y)}</text>`);
  }
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    parts.push(`<line x1="${sx(x).toFixed(1)}" x2="${sx(x).toFixed(1)}" y1="${y0 + plotHeight}" y2="${y0 + plotHeight + 5}" class="axis"/>`);
    parts.push(`<text x="${sx(x).toFixed(1)}" y="${y0 + plotHeight + 19}" class="tick" text-anchor="middle">${formatTick(x)}</text>`);
  }
  parts.push(`<line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y0 + plotHeight}" class="axis"/>`);
  parts.push(`<line x1="${x0}" x2="${x0 + plotWidth}" y1="${y0 + plotHeight}" y2="${y0 + plotHeight}" class="axis"/>`);
  parts.push(`<text x="${x0 + plotWidth / 2}" y="${y0 + plotHeight + 40}" class="label" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`);
  const yMid = y0 + plotHeight / 2;
  parts.push(`<text x="${18}" y="${yMid}" class="label" text-anchor="middle" transform="rotate(-90 18 ${yMid})">${escapeXml(panel.yLabel)}</text>`);
  for (const marker of panel.markers ?? []) {
    const x = sx(marker.x).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${y0}" y2="${y0 + plotHeight}" class="marker"/>`);
    parts.push(`<text x="${Number(x) + 4}" y="${y0 + 14}" class="tick">${escapeXml(marker.label)}</text>`);
  }
  for (const series of panel.series) {
    if (series.points.length === 0) continue;
    const d = series.points.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''} stroke-linejoin="round"/>`);
  }
  const legendWidth = 14 + Math.max(...panel.series.map((s) => s.label.length)) * 7 + 34;
  const legendX = x0 + plotWidth - legendWidth - 6;
  const legendY = y0 + 6;
  parts.push(`<rect x="${legendX}" y="${legendY}" width="${legendWidth}" height="${panel.series.length * 20 + 8}" class="legend"/>`);
  panel.series.forEach((series, i) => {
    const y = legendY + 16 + i * 20;
    parts.push(`<line x1="${legendX + 10}" x2="${legendX + 38}" y1="${y - 4}" y2="${y - 4}" stroke="${series.color}" stroke-width="3"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${legendX + 46}" y="${y}" class="tick">${escapeXml(series.label)}</text>`);
  });
  return parts.join('\n');
}

export function renderChart(title: string, subtitle: string, panels: Panel[]): string {
  const height = HEADER + panels.length * PANEL_HEIGHT + 10;
  const body = panels.map((panel, i) => renderPanel(panel, HEADER + i * PANEL_HEIGHT)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">
<style>
.title { font-size: 15px; font-weight: bold; fill: #222; }
.heading { font-size: 18px; font-weight: bold; fill: #111; }
.sub { font-size: 12px; fill: #555; }
.tick { font-size: 12px; fill: #333; }
.label { font-size: 13px; fill: #333; }
.grid { stroke: #e4e4e4; stroke-width: 1; }
.axis { stroke: #555; stroke-width: 1; }
.marker { stroke: #888; stroke-width: 1; stroke-dasharray: 3 3; }
.legend { fill: #fff; fill-opacity: 0.9; stroke: #ccc; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${MARGIN.left}" y="28" class="heading">${escapeXml(title)}</text>
<text x="${MARGIN.left}" y="48" class="sub">${escapeXml(subtitle)}</text>
${body}
</svg>
`;
}
