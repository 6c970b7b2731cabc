// discover: paths on the command line → runs. Takes run folders, folders of runs and extract
// folders; gives each run's meta, genesis and fingerprinted node logs (core's RunInfo), or a
// one-sentence reason why a path is not a run.
export * from './discover.js';
