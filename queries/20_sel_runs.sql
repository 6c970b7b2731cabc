-- The runs a report covers, with what every later query needs to place an event in its run:
--   · the slot clock (start_us, slot_us), k and the safe interval (k/f slots) from genesis;
--   · the run's extent [lo_us, hi_us]: from one day before systemStart to one day after
--     twice the median event's distance from systemStart. An event outside it (a clock
--     gone wrong, a line dated 2099) is counted (events-outside-run) and left out of every
--     timing and of log_rate_hz. The median stands for the run's middle, so a handful of
--     wild timestamps cannot move the bound that judges them;
--   · max_slot: slots of 1000 years; a larger slot is an out-of-range field (NULL), since
--     its start time would not fit in microseconds;
--   · the slot filters (DESIGN §4: slot and epoch ranges trim every section): slot_lo …
--     slot_hi and, within each epoch, eps_lo … eps_hi.
-- Params: $run_ids (list of run_id). Reads sel_bounds (per run: slot_min, slot_max, epoch_min,
-- epoch_max, epoch_slot_min, epoch_slot_max, safe_int_min, safe_int_max; DOUBLE, NULL =
-- unbounded; each run's own, since the default filters are its profile's), runs, events. Later queries join this table instead of repeating the run filter.
CREATE OR REPLACE TEMP TABLE sel_runs AS
WITH r AS (
  SELECT run_id, tag, nodes, epoch_length, max_block_size,
         epoch_us(system_start) AS start_us,
         -- try_cast: a nonsense genesis (slotLength 1e308) gives unknown times, not a crash.
         try_cast(slot_length * 1e6 AS BIGINT) AS slot_us,
         try_cast(info->'genesis'->>'securityParam' AS BIGINT) AS k,
         try_cast(floor(try_cast(info->'genesis'->>'securityParam' AS DOUBLE)
               / nullif(try_cast(info->'genesis'->>'activeSlotsCoeff' AS DOUBLE), 0)) AS BIGINT) AS safe_interval,
         (SELECT approx_quantile(epoch_us(e."at"), 0.5) FROM events AS e
          WHERE e.run_id = runs.run_id AND e."at" IS NOT NULL) AS mid_us
  FROM runs
  WHERE list_contains($run_ids, run_id)
)
SELECT r.run_id, tag, nodes, epoch_length, max_block_size, start_us, slot_us, k, safe_interval,
       start_us - 86400000000 AS lo_us,
       least(2.0 * greatest(coalesce(mid_us, start_us), start_us) - start_us + 86400000000,
             9.2e18)::BIGINT AS hi_us,
       31557600000000000 // greatest(slot_us, 1) AS max_slot,
       -- Unbounded ends admit every slot, those before systemStart (negative) included.
       -- Bounds are clamped in DOUBLE before the cast, so a huge filter value cannot overflow.
       least(greatest(coalesce(greatest(b.slot_min, b.epoch_min * epoch_length), -4.6e18), -4.6e18), 4.6e18)::BIGINT AS slot_lo,
       least(greatest(coalesce(least(b.slot_max, (b.epoch_max + 1) * epoch_length - 1), 4.6e18), -4.6e18), 4.6e18)::BIGINT AS slot_hi,
       -- A safe-interval bound with k/f unknown keeps no slot, as it keeps no block (filters.ts).
       CASE WHEN b.safe_int_min IS NOT NULL AND safe_interval IS NULL THEN epoch_length
            ELSE least(greatest(coalesce(greatest(b.epoch_slot_min, b.safe_int_min * safe_interval), -epoch_length), -4.6e18), 4.6e18) END::BIGINT AS eps_lo,
       CASE WHEN b.safe_int_max IS NOT NULL AND safe_interval IS NULL THEN -1
            ELSE least(greatest(coalesce(least(b.epoch_slot_max, (b.safe_int_max + 1) * safe_interval - 1), epoch_length), -4.6e18), 4.6e18) END::BIGINT AS eps_hi
FROM r LEFT JOIN sel_bounds AS b ON b.run_id = r.run_id
