-- Earliest forging-loop event per node and slot (loop_start … mempool_snapshot), as one row
-- per (run, node, slot) with a column per step. Reads events, sel_runs. Left out: events
-- outside the run's extent, out-of-range slots, and slots the slot filters exclude.
CREATE OR REPLACE TEMP TABLE stg_slot_events AS
SELECT e.run_id, e.node, e.slot,
       min(epoch_us(e."at")) FILTER (WHERE e.ev = 'loop_start') AS loop_start,
       min(epoch_us(e."at")) FILTER (WHERE e.ev = 'block_context') AS block_context,
       min(epoch_us(e."at")) FILTER (WHERE e.ev = 'ledger_state') AS ledger_state,
       min(epoch_us(e."at")) FILTER (WHERE e.ev = 'ledger_view') AS ledger_view,
       min(epoch_us(e."at")) FILTER (WHERE e.ev = 'leader') AS leader,
       min(epoch_us(e."at")) FILTER (WHERE e.ev = 'ticked') AS ticked,
       min(epoch_us(e."at")) FILTER (WHERE e.ev = 'mempool_snapshot') AS mempool_snapshot
FROM events AS e JOIN sel_runs AS r USING (run_id)
WHERE e.ev IN ('loop_start', 'block_context', 'ledger_state', 'ledger_view', 'leader',
               'ticked', 'mempool_snapshot')
  AND e.slot BETWEEN 0 AND r.max_slot AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
  AND e.slot BETWEEN r.slot_lo AND r.slot_hi AND e.slot % r.epoch_length BETWEEN r.eps_lo AND r.eps_hi
GROUP BY e.run_id, e.node, e.slot
