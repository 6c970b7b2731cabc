-- Every change of a node's chain tip, in the node's own words (DESIGN §4, chain evidence):
-- AddedToCurrentChain (the chain grew, no rollback) and SwitchedToAFork (a rollback, then a
-- longer fork). block/slot are the new tip's (`newtip` = <hash>@<slot>), whether or not any
-- log forged it. seq numbers each node's tip changes in time order. Reads events, sel_runs. Times are epoch microseconds; events outside the
-- run's extent are left out; an out-of-range slot is unknown (NULL).
CREATE OR REPLACE TEMP TABLE stg_tips AS
SELECT *, row_number() OVER (PARTITION BY run_id, node ORDER BY t, switched, block) AS seq
FROM (SELECT DISTINCT e.run_id, e.node, epoch_us(e."at") AS t, e.block,
             CASE WHEN e.slot BETWEEN 0 AND r.max_slot THEN e.slot END AS slot,
             e.ev = 'switched' AS switched
      FROM events AS e JOIN sel_runs AS r USING (run_id)
      WHERE e.ev IN ('adopted', 'switched') AND e.block IS NOT NULL
        AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us)
