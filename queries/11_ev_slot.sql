-- Forging-loop steps of the scanned batch (load_scan) into ev_slot. Params: $run_id.
-- BlockContext names its slot `current slot`; the others `slot`.
INSERT INTO ev_slot
SELECT $run_id, file_id, "at", ev, coalesce(d."current slot", d.slot)
FROM (
  SELECT file_id, "at", ev, json_transform(data, '{"slot": "BIGINT", "current slot": "BIGINT"}') AS d
  FROM load_scan WHERE family = 'slot'
)
