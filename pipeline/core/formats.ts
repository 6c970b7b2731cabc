// The output formats of `report` and `history`, here rather than in render/ and history/ so
// that the command line can name them without loading those stages (puppeteer, vega,
// handlebars): a command loads only the modules it uses (issue 21).
export type Format = 'html' | 'pdf' | 'json' | 'md' | 'junit' | 'summary';

export const FORMATS: readonly Format[] = ['html', 'pdf', 'json', 'md', 'junit', 'summary'];
/** What `report` writes without --format; junit and summary are for CI, asked for by name. */
export const DEFAULT_FORMATS: readonly Format[] = ['html', 'pdf', 'json', 'md'];

export type HistoryFormat = 'html' | 'pdf' | 'json' | 'md' | 'junit';
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['html', 'pdf', 'json', 'md', 'junit'];
export const DEFAULT_HISTORY_FORMATS: readonly HistoryFormat[] = ['html', 'pdf', 'json', 'md'];

/**
 * The field names `--split-by` takes, for the command line's help (analysis' SPLIT_FIELDS
 * reads them from a run; test/cli-lazy.test.ts holds the two lists equal).
 */
export const SPLIT_FIELD_NAMES: readonly string[] = ['tracing', 'rts', 'profile', 'node_version', 'node_commit', 'ghc_version', 'era', 'batch'];
