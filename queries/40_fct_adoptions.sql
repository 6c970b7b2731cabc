-- Per forged block and node, the earliest adoption (DESIGN §4): AddedToCurrentChain on any
-- node; on the forger, the earlier of its AddedToCurrentChain and its forging loop's
-- AdoptedBlock, since either may be missing at a given verbosity (a 10.4.1 producer at
-- default verbosity may log only one of them). SwitchedToAFork is not an adoption.
-- Reads stg_block_events, fct_forged. Times are epoch microseconds.
CREATE OR REPLACE TEMP TABLE fct_adoptions AS
SELECT x.run_id, x.block, x.node, min(x.t) AS t
FROM stg_block_events AS x
JOIN fct_forged AS f USING (run_id, block)
WHERE x.ev = 'adopted' OR (x.ev = 'adopted_forger' AND x.node = f.forger)
GROUP BY ALL
