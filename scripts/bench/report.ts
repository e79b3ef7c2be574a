// The report of `npm run bench`: its JSON shape, the table printed on stdout and the latency chart (SVG).

export interface PhaseSplit {
  scan_ms: number;
  chunk_ms: number;
  embed_ms: number;
  graph_ms: number;
  keywords_ms: number;
  write_ms: number;
  previous_ms: number;
}

export interface SizeReport {
  target_chunks: number;
  chunks: number;
  documents: number;
  corpus_mb: number;
  build_ms: number;
  build_docs_per_s: number;
  build_chunks_per_s: number;
  build_split: PhaseSplit;
  reindex_noop_ms: number;
  reindex_noop_ratio: number;
  reindex_one_ms: number;
  reindex_one_ratio: number;
  reindex_one_embedded: number;
  reindex_one_expected: number;
  reindex_one_doc_chunks: number;
  reindex_one_split: PhaseSplit;
  reindex_add_docs: number;
  reindex_add_ms: number;
  reindex_add_ratio: number;
  reindex_add_embedded: number;
  reindex_add_expected: number;
  reindex_add_split: PhaseSplit;
  peak_rss_mb: number;
  /** Peak RSS of the full build alone (the build phase's process, before its re-indexes). */
  build_peak_rss_mb: number;
  disk_mb: number;
  disk_total_mb: number;
  load_ms: number;
  load_generation_ms: number;
  load_kb_ms: number;
  rss_mb: number;
  rss_after_queries_mb: number;
  rss_after_many_mb: number;
  /** The same after 3 s without work (V8 returns the heap it grew during the burst). */
  rss_after_many_idle_mb: number;
  /** RSS after load once idle, measured as `rss_after_many_idle_mb`: the baseline for memory growth. */
  rss_after_load_settled_mb: number;
  heap_after_load_mb: number;
  heap_after_many_mb: number;
  rss_many_questions: number;
  queries: number;
  query_p50_ms: number;
  query_p95_ms: number;
  query_p99_ms: number;
  query_brute_p95_ms: number;
  answer_p50_ms: number;
  answer_p95_ms: number;
  answer_p99_ms: number;
  hit_at_5: number;
  hnsw_p50_ms: number;
  hnsw_p95_ms: number;
  hnsw_p99_ms: number;
  brute_p50_ms: number;
  brute_p95_ms: number;
  brute_p99_ms: number;
  hnsw_over_brute_p95: number;
  brute_speedup_p95: number;
  native_p50_ms: number;
  native_p95_ms: number;
  native_p99_ms: number;
  /** Exact search in hnswlib's native BruteforceSearch over the same vectors, p95, divided by HNSW's p95. */
  native_speedup_p95: number;
  /** Against the native exact top 10. */
  recall_at_10: number;
}

export interface ColdStartTree {
  label: string;
  dir: string;
  /** `npm run -s ask -- "…" --json`, whole process, wall clock. */
  ask_ms: number[];
  ask_median_ms: number;
  /** `npm start` with a token, against the loopback fake Discord, until the bot logs that it is ready. */
  ready_ms: number[];
  ready_median_ms: number;
}

export interface ColdStartReport {
  runs: number;
  /** `node -e 0`, the floor of any process start, median of the same number of runs. */
  node_median_ms: number;
  trees: ColdStartTree[];
}

export interface BenchReport {
  cold?: ColdStartReport;
  machine: { cpus: number; cpu_model: string; memory_gb: number; node: string; platform: string; calibration_ms: number; date: string };
  command: string;
  sizes: SizeReport[];
}


export function formatTable(report: BenchReport): string {
  const rows: Array<[string, (s: SizeReport) => string]> = [
    ['chunks (documents)', (s) => `${s.chunks} (${s.documents})`],
    ['full build', (s) => `${(s.build_ms / 1000).toFixed(1)} s`],
    ['  documents/s · chunks/s', (s) => `${s.build_docs_per_s} · ${s.build_chunks_per_s}`],
    ['  scan · chunk · embed', (s) => `${s.build_split.scan_ms} · ${s.build_split.chunk_ms} · ${s.build_split.embed_ms} ms`],
    ['  graph · write', (s) => `${s.build_split.graph_ms} · ${s.build_split.write_ms} ms`],
    ['re-index, nothing changed', (s) => `${s.reindex_noop_ms} ms (${pct(s.reindex_noop_ratio)} of build)`],
    ['re-index, 1 doc changed', (s) => `${s.reindex_one_ms} ms (${pct(s.reindex_one_ratio)})`],
    ['  chunks embedded / expected', (s) => `${s.reindex_one_embedded} / ${s.reindex_one_expected} (doc has ${s.reindex_one_doc_chunks})`],
    ['  previous · scan · graph · keywords · write', (s) => splitCells(s.reindex_one_split)],
    ['re-index, +1 % docs', (s) => `${s.reindex_add_ms} ms (${pct(s.reindex_add_ratio)}), ${s.reindex_add_docs} docs`],
    ['  previous · scan · graph · keywords · write', (s) => splitCells(s.reindex_add_split)],
    ['  chunks embedded / expected', (s) => `${s.reindex_add_embedded} / ${s.reindex_add_expected}`],
    ['retrieve p50 / p95 / p99', (s) => `${s.query_p50_ms} / ${s.query_p95_ms} / ${s.query_p99_ms} ms`],
    ['  same, exact vector scan p95', (s) => `${s.query_brute_p95_ms} ms`],
    ['answer p50 / p95 / p99', (s) => `${s.answer_p50_ms} / ${s.answer_p95_ms} / ${s.answer_p99_ms} ms`],
    ['source doc in top 5', (s) => pct(s.hit_at_5)],
    ['HNSW top-10 p50 / p95', (s) => `${s.hnsw_p50_ms} / ${s.hnsw_p95_ms} ms`],
    ['brute force p50 / p95', (s) => `${s.brute_p50_ms} / ${s.brute_p95_ms} ms`],
    ['native exact (hnswlib) p50 / p95', (s) => `${s.native_p50_ms} / ${s.native_p95_ms} ms`],
    ['  HNSW speed-up p95: native · JS', (s) => `${s.native_speedup_p95}× · ${s.brute_speedup_p95}×`],
    ['  recall@10 (against native exact)', (s) => `${s.recall_at_10}`],
    ['load (generation + KB)', (s) => `${s.load_ms} ms (${s.load_generation_ms} + ${s.load_kb_ms})`],
    ['RSS after load · after queries', (s) => `${s.rss_mb} · ${s.rss_after_queries_mb} MB`],
    ['RSS after load, settled · after N more questions, settled', (s) => `${s.rss_after_load_settled_mb} · ${s.rss_after_many_idle_mb} MB (N = ${s.rss_many_questions}, ${growth(s)})`],
    ['RSS right after the N questions', (s) => `${s.rss_after_many_mb} MB`],
    ['  JS heap in use: after load · after N', (s) => `${s.heap_after_load_mb} · ${s.heap_after_many_mb} MB`],
    ['peak RSS: full build · with 3 re-indexes', (s) => `${s.build_peak_rss_mb} · ${s.peak_rss_mb} MB`],
    ['index on disk (all generations)', (s) => `${s.disk_mb} MB (${s.disk_total_mb} MB)`],
  ];
  const header = ['', ...report.sizes.map((s) => `${s.target_chunks.toLocaleString('en-US')} chunks`)];
  const body = rows.map(([label, cell]) => [label, ...report.sizes.map(cell)]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const m = report.machine;
  const cold = report.cold
    ? [
        `cold start, median of ${report.cold.runs} (node -e 0: ${report.cold.node_median_ms} ms):`,
        ...report.cold.trees.map((t) => `  ${t.label}: npm run ask ${t.ask_median_ms} ms · npm start to READY ${t.ready_median_ms} ms  (${t.dir})`),
      ]
    : [];
  return [
    `${m.cpus} × ${m.cpu_model}, ${m.memory_gb} GB, Node ${m.node}; calibration ${m.calibration_ms} ms; ${m.date}`,
    ...cold,
    line(header),
    ...body.map(line),
  ].join('\n');
}

function splitCells(t: PhaseSplit): string {
  return `${t.previous_ms} · ${t.scan_ms} · ${t.graph_ms} · ${t.keywords_ms} · ${t.write_ms} ms`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(x < 0.1 ? 2 : 1)} %`;
}

/** Latency against corpus size on log–log axes: retrieval and answer p95, HNSW and brute-force vector search p95. */
export function latencySvg(report: BenchReport): string {
  const W = 860;
  const H = 440;
  const pad = { left: 70, right: 270, top: 40, bottom: 60 };
  const sizes = report.sizes;
  const series: Array<{ label: string; color: string; dash?: string; value: (s: SizeReport) => number }> = [
    { label: 'answer p95 (retrieve + extract)', color: '#7b3294', value: (s) => s.answer_p95_ms },
    { label: 'retrieve p95 (hybrid, HNSW)', color: '#1b7837', value: (s) => s.query_p95_ms },
    { label: 'retrieve p95, exact scan', color: '#1b7837', dash: '6 4', value: (s) => s.query_brute_p95_ms },
    { label: 'vector top-10 p95, exact (JS loop)', color: '#d6604d', dash: '6 4', value: (s) => s.brute_p95_ms },
    { label: 'vector top-10 p95, exact (native)', color: '#d6604d', dash: '2 3', value: (s) => s.native_p95_ms },
    { label: 'vector top-10 p95, HNSW', color: '#2166ac', value: (s) => s.hnsw_p95_ms },
  ];
  const xs = sizes.map((s) => s.chunks);
  const ys = sizes.flatMap((s) => series.map((line) => line.value(s))).filter((y) => y > 0);
  const xMin = Math.log10(Math.min(...xs) / 1.5);
  const xMax = Math.log10(Math.max(...xs) * 1.5);
  const yMin = Math.floor(Math.log10(Math.min(...ys)));
  const yMax = Math.ceil(Math.log10(Math.max(...ys)));
  const x = (v: number) => pad.left + ((Math.log10(v) - xMin) / (xMax - xMin || 1)) * (W - pad.left - pad.right);
  const y = (v: number) => H - pad.bottom - ((Math.log10(Math.max(v, 10 ** yMin)) - yMin) / (yMax - yMin || 1)) * (H - pad.top - pad.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${pad.left}" y="22" font-size="15" font-weight="bold">Query latency vs corpus size (p95, ms, log–log)</text>`,
  ];
  for (let e = yMin; e <= yMax; e++) {
    const yy = y(10 ** e);
    out.push(`<line x1="${pad.left}" x2="${W - pad.right}" y1="${yy}" y2="${yy}" stroke="#dddddd"/>`);
    out.push(`<text x="${pad.left - 8}" y="${yy + 4}" text-anchor="end">${formatTick(10 ** e)}</text>`);
  }
  for (const v of xs) {
    const xx = x(v);
    out.push(`<line x1="${xx}" x2="${xx}" y1="${pad.top}" y2="${H - pad.bottom}" stroke="#eeeeee"/>`);
    out.push(`<text x="${xx}" y="${H - pad.bottom + 18}" text-anchor="middle">${v.toLocaleString('en-US')}</text>`);
  }
  out.push(`<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${H - pad.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${pad.left}" x2="${W - pad.right}" y1="${H - pad.bottom}" y2="${H - pad.bottom}" stroke="#333"/>`);
  out.push(`<text x="${(pad.left + W - pad.right) / 2}" y="${H - 18}" text-anchor="middle">chunks in the index</text>`);
  out.push(`<text transform="translate(18 ${(pad.top + H - pad.bottom) / 2}) rotate(-90)" text-anchor="middle">milliseconds (p95)</text>`);
  // The 20 ms retrieval target.
  const target = y(20);
  out.push(`<line x1="${pad.left}" x2="${W - pad.right}" y1="${target}" y2="${target}" stroke="#999" stroke-dasharray="2 3"/>`);
  out.push(`<text x="${pad.left + 6}" y="${target - 4}" fill="#666">retrieval target 20 ms</text>`);
  series.forEach((line, i) => {
    const points = sizes.map((s) => `${x(s.chunks).toFixed(1)},${y(line.value(s)).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''} points="${points.join(' ')}"/>`);
    for (const p of points) {
      const [px, py] = p.split(',');
      out.push(`<circle cx="${px}" cy="${py}" r="3" fill="${line.color}"/>`);
    }
    const ly = pad.top + 10 + i * 22;
    out.push(`<line x1="${W - pad.right + 12}" x2="${W - pad.right + 36}" y1="${ly}" y2="${ly}" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''}/>`);
    out.push(`<text x="${W - pad.right + 42}" y="${ly + 4}" font-size="11">${line.label}</text>`);
  });
  out.push(`<text x="${pad.left}" y="${H - 4}" font-size="10" fill="#666">${escapeXml(`${report.machine.cpus} × ${report.machine.cpu_model}, Node ${report.machine.node}, ${report.machine.date.slice(0, 10)}`)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function formatTick(v: number): string {
  return v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(1)));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}


/** Growth of settled RSS over the questions, against the settled RSS after load. */
function growth(s: SizeReport): string {
  if (s.rss_after_load_settled_mb <= 0) return 'no baseline';
  const change = (s.rss_after_many_idle_mb / s.rss_after_load_settled_mb - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)} % over load`;
}
