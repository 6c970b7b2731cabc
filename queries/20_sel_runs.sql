-- The runs a report covers, with their slot clock, the security parameter k and the length
-- of an epoch's safe interval (k/f slots), from genesis (NULL when unknown).
-- Params: $run_ids (list of run_id).
-- Later queries join this table instead of repeating the run filter.
CREATE OR REPLACE TEMP TABLE sel_runs AS
SELECT run_id, tag, nodes, epoch_length, max_block_size,
       epoch_us(system_start) AS start_us,
       (slot_length * 1e6)::BIGINT AS slot_us,
       try_cast(info->'genesis'->>'securityParam' AS BIGINT) AS k,
       floor(try_cast(info->'genesis'->>'securityParam' AS DOUBLE)
             / nullif(try_cast(info->'genesis'->>'activeSlotsCoeff' AS DOUBLE), 0))::BIGINT AS safe_interval
FROM runs
WHERE list_contains($run_ids, run_id)
