/* global Node, document -- the admin UI runs in the browser */
// Inline SVG charts drawn here: no library, no network.

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const COLORS = { events: '#1d4ed8', records: '#15803d', failures: '#b91c1c' };

/** Per-minute lines. `series`: {name: number[]}, `labels`: ISO minute starts. */
export function lineChart({ labels, series, title }) {
  const width = 640, height = 220, left = 40, right = 12, top = 12, bottom = 28;
  const all = Object.values(series).flat();
  const max = Math.max(4, ...all);
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const x = (i) => left + (labels.length <= 1 ? 0 : (i / (labels.length - 1)) * (width - left - right));
  const y = (v) => top + (1 - v / yMax) * (height - top - bottom);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  svg.append(s('title', {}, title));
  for (let v = 0; v <= yMax; v += step) {
    svg.append(s('line', { class: 'gridline', x1: left, x2: width - right, y1: y(v), y2: y(v) }));
    svg.append(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v));
  }
  const every = Math.max(1, Math.round(labels.length / 6));
  labels.forEach((label, i) => {
    if (i % every !== 0 && i !== labels.length - 1) return;
    const d = new Date(label);
    svg.append(s('text', { x: x(i), y: height - 8, 'text-anchor': 'middle' }, `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`));
  });
  svg.append(s('line', { class: 'axis', x1: left, x2: width - right, y1: y(0), y2: y(0) }));
  for (const [name, values] of Object.entries(series)) {
    const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    svg.append(s('polyline', { points, fill: 'none', stroke: COLORS[name] ?? '#555', 'stroke-width': 2, 'stroke-linejoin': 'round', 'data-series': name }));
  }
  return svg;
}

/** Horizontal bars with a limit marker: quota used per account against the share ctibridge may use. */
export function quotaBars(rows) {
  const width = 640, rowHeight = 34, left = 120, right = 70;
  const height = Math.max(1, rows.length) * rowHeight + 8;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'API quota used per account' });
  svg.append(s('title', {}, 'API quota used per account'));
  rows.forEach((row, i) => {
    const yTop = 4 + i * rowHeight;
    const span = width - left - right;
    const used = row.max ? Math.min(1, row.used / row.max) : 0;
    svg.append(s('text', { x: left - 8, y: yTop + 17, 'text-anchor': 'end' }, row.name));
    svg.append(s('rect', { x: left, y: yTop + 6, width: span, height: 16, rx: 4, fill: '#eef0f3' }));
    svg.append(s('rect', { x: left, y: yTop + 6, width: Math.max(used > 0 ? 2 : 0, used * span), height: 16, rx: 4, fill: used > row.share ? '#b91c1c' : '#1d4ed8' }));
    const shareX = left + row.share * span;
    svg.append(s('line', { x1: shareX, x2: shareX, y1: yTop + 2, y2: yTop + 26, stroke: '#a16207', 'stroke-width': 2, 'stroke-dasharray': '3 2' }));
    svg.append(s('text', { x: width - right + 6, y: yTop + 17 }, row.max ? `${(used * 100).toFixed(used < 0.01 ? 2 : 1)}%` : 'no data'));
  });
  return svg;
}

function niceStep(max) {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const n = raw / power;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * power;
}
