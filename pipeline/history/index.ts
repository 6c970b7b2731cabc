// history: the warehouse's runs grouped into series (one configuration) of builds (one
// meta.batch) → build values per metric, change points (E-divisive means with a permutation
// test), the latest build judged against its window, and history.{html,pdf,json,md}.
// Takes a warehouse; gives a HistoryReport and its files.
export * from './model.js';
export * from './runs.js';
export * from './values.js';
export * from './series.js';
export * from './changepoint.js';
export * from './render.js';
export * from './decision.js';
