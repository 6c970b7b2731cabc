// render: a Report (or a matrix of candidate sets) → report.json, report.md, report-summary.md,
// report.junit.xml, report.html with inline Vega-Lite SVG charts, and report.pdf printed by
// Chromium; every format written aside and swapped in together. Takes core's Report; gives
// the files, and the pieces (charts, formats, labels, the PDF printer) history renders with.
export * from './write.js';
export * from './charts.js';
export * from './decision.js';
export * from './format.js';
export * from './gate-view.js';
export * from './html.js';
export * from './junit.js';
export * from './labels.js';
export * from './markdown.js';
export * from './matrix-view.js';
export * from './messages.js';
export * from './notes.js';
export * from './paths.js';
export * from './pdf.js';
export * from './report-json.js';
export * from './summary.js';
export * from './view-model.js';
export * from './pdf-info.js';
export * from './chart-rows.js';
export * from './csp.js';
