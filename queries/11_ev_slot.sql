-- Forging-loop steps (and ledger snapshots and metrics) of the scanned batch (load_scan) into
-- ev_slot. Params: $run_id. BlockContext names its slot `current slot`; the others `slot`.
-- The loop start (StartLeadershipCheckPlus) and LedgerMetrics carry utxoSize, chainDensity.
INSERT INTO ev_slot
SELECT $run_id, file_id, "at", ev, coalesce(d."current slot", d.slot) AS slot, d.utxoSize, d.chainDensity
FROM (
  SELECT file_id, "at", ev,
         CASE WHEN d.kind IS NULL AND d.val IS NOT NULL THEN try_cast(d.val AS slot_data) ELSE d END AS d
  FROM (SELECT file_id, "at", ev, try_cast(data AS slot_data) AS d FROM load_scan WHERE family = 'slot')
)
ORDER BY ev, file_id, slot, "at"
