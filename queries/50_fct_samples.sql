-- Every metric's within-run distribution as (run_id, metric, value, t) rows (DESIGN §4);
-- t (epoch µs) places a sample in the run — the sample time or the block's slot start —
-- for within-run estimates over time windows; counts have none.
-- Reads stg_resources, stg_cpu85_spans, stg_slot_events, stg_block_events, fct_forged,
-- fct_adoptions, fct_chain, fct_chain_status, sel_blocks (the chain blocks that passed the
-- filters), files, events, msg_counts, sel_runs.
-- (utxo_size, chain_density, loop_starts and loop_leads read events directly.)
-- Count metrics are one row per run (or per node for missed_slots). Times are seconds.
CREATE OR REPLACE TEMP TABLE fct_samples AS
WITH
res AS (
  UNPIVOT (SELECT run_id, t, cpu_pct, gc_cpu_pct, mut_cpu_pct, alloc_mb_s, gc_minor_per_s,
                  gc_major_per_s, net_rd_kb_s, net_wr_kb_s, fs_rd_kb_s, fs_wr_kb_s,
                  rss_mb, heap_mb, live_mb, blkio_pct, threads
           FROM stg_resources)
  ON cpu_pct, gc_cpu_pct, mut_cpu_pct, alloc_mb_s, gc_minor_per_s, gc_major_per_s,
     net_rd_kb_s, net_wr_kb_s, fs_rd_kb_s, fs_wr_kb_s, rss_mb, heap_mb, live_mb, blkio_pct,
     threads
  INTO NAME metric VALUE value
),
-- Forging loop: per filtered block, on its forger, each step since the latest earlier step
-- present (locli's fallbacks: a 10.4.1 producer at default verbosity logs no block context,
-- ledger, ticked or mempool steps, so leadership counts from the loop start and forging
-- from leadership). The forger's own adoption is the earlier of its AddedToCurrentChain
-- and AdoptedBlock; either may be missing.
forger_events AS (
  SELECT x.run_id, x.block,
         min(x.t) FILTER (WHERE x.ev = 'announced') AS announced,
         min(x.t) FILTER (WHERE x.ev = 'sent') AS sent,
         min(x.t) FILTER (WHERE x.ev IN ('adopted_forger', 'adopted')) AS adopted_forger
  FROM stg_block_events AS x
  JOIN fct_forged AS f ON f.run_id = x.run_id AND f.block = x.block AND f.forger = x.node
  GROUP BY x.run_id, x.block
),
forge AS (
  SELECT b.run_id, b.block, b.slot_t,
         se.loop_start, se.block_context, se.ledger_state, se.ledger_view, se.leader,
         se.ticked, se.mempool_snapshot, f.forged_t,
         fe.announced, fe.sent, fe.adopted_forger
  FROM fct_chain AS b
  JOIN sel_blocks USING (run_id, block)
  JOIN fct_forged AS f USING (run_id, block)
  LEFT JOIN forger_events AS fe USING (run_id, block)
  LEFT JOIN stg_slot_events AS se ON se.run_id = b.run_id AND se.node = b.forger AND se.slot = b.slot
),
forge_long AS (
  UNPIVOT (SELECT run_id, slot_t AS t,
             (loop_start - slot_t) / 1e6 AS forge_start_s,
             (block_context - loop_start) / 1e6 AS forge_blkctx_s,
             (ledger_state - coalesce(block_context, loop_start)) / 1e6 AS forge_lgrstate_s,
             (ledger_view - coalesce(ledger_state, block_context, loop_start)) / 1e6 AS forge_lgrview_s,
             (leader - coalesce(ledger_view, ledger_state, block_context, loop_start)) / 1e6 AS forge_lead_s,
             (ticked - coalesce(leader, ledger_view, ledger_state, block_context, loop_start)) / 1e6 AS forge_ticked_s,
             (mempool_snapshot - coalesce(ticked, leader, ledger_view, ledger_state, block_context, loop_start)) / 1e6 AS forge_memsnap_s,
             (forged_t - coalesce(mempool_snapshot, ticked, leader, ledger_view, ledger_state, block_context, loop_start)) / 1e6 AS forge_forge_s,
             (announced - forged_t) / 1e6 AS forge_announce_s,
             (sent - announced) / 1e6 AS forge_send_s,
             (adopted_forger - forged_t) / 1e6 AS forge_adoption_s,
             (announced - slot_t) / 1e6 AS forge_announce_cum_s
           FROM forge)
  ON forge_start_s, forge_blkctx_s, forge_lgrstate_s, forge_lgrview_s, forge_lead_s,
     forge_ticked_s, forge_memsnap_s, forge_forge_s, forge_announce_s, forge_send_s,
     forge_adoption_s, forge_announce_cum_s
  INTO NAME metric VALUE value
),
slot_lag AS (
  SELECT se.run_id, 'slot_start_lag_s' AS metric,
         (se.loop_start - (s.start_us + se.slot * s.slot_us)) / 1e6 AS value,
         s.start_us + se.slot * s.slot_us AS t
  FROM stg_slot_events AS se JOIN sel_runs AS s USING (run_id)
  WHERE se.loop_start IS NOT NULL
),
-- Peer propagation: per filtered block and observing node other than the forger; an
-- observation counts only when notice, request and fetch are all present.
peer AS (
  SELECT b.run_id, b.block, b.slot_t, x.node,
         min(x.t) FILTER (WHERE x.ev = 'header_seen') AS notice,
         min(x.t) FILTER (WHERE x.ev = 'fetch_request') AS request,
         min(x.t) FILTER (WHERE x.ev = 'fetched') AS fetched,
         min(x.t) FILTER (WHERE x.ev = 'announced') AS announced,
         min(x.t) FILTER (WHERE x.ev = 'sent') AS sent,
         min(x.t) FILTER (WHERE x.ev = 'adopted') AS adopted
  FROM fct_chain AS b
  JOIN sel_blocks USING (run_id, block)
  JOIN stg_block_events AS x ON x.run_id = b.run_id AND x.block = b.block AND x.node <> b.forger
  GROUP BY ALL
  HAVING notice IS NOT NULL AND request IS NOT NULL AND fetched IS NOT NULL
),
peer_long AS (
  UNPIVOT (SELECT run_id, slot_t AS t,
             (notice - slot_t) / 1e6 AS peer_notice_s,
             (request - notice) / 1e6 AS peer_request_s,
             (fetched - request) / 1e6 AS peer_fetch_s,
             (announced - fetched) / 1e6 AS peer_announce_s,
             (sent - fetched) / 1e6 AS peer_send_s,
             (adopted - fetched) / 1e6 AS peer_adoption_s
           FROM peer)
  ON peer_notice_s, peer_request_s, peer_fetch_s, peer_announce_s, peer_send_s, peer_adoption_s
  INTO NAME metric VALUE value
),
peer_first AS (
  UNPIVOT (SELECT run_id, block, slot_t AS t,
             min(notice - slot_t) / 1e6 AS peer_notice_first_s,
             min(fetched - slot_t) / 1e6 AS peer_fetch_first_s
           FROM peer GROUP BY run_id, block, slot_t)
  ON peer_notice_first_s, peer_fetch_first_s
  INTO NAME metric VALUE value
),
-- End-to-end: per filtered block, the earliest adoption on every node (forger included:
-- the earlier of its AddedToCurrentChain and AdoptedBlock), summarised at nearest-rank
-- centiles x[min(n−1, floor(n·c))].
adoption AS (
  SELECT b.run_id, b.block, b.slot_t, list_sort(list((x.t - b.slot_t) / 1e6)) AS d
  FROM fct_chain AS b
  JOIN sel_blocks USING (run_id, block)
  JOIN fct_adoptions AS x USING (run_id, block)
  GROUP BY b.run_id, b.block, b.slot_t
),
adoption_long AS (
  SELECT run_id, 'adoption_p' || c.name || '_s' AS metric,
         d[least(len(d) - 1, floor(len(d) * c.c + 1e-9)::BIGINT) + 1] AS value,
         slot_t AS t
  FROM adoption,
       (VALUES ('50', 0.5), ('80', 0.8), ('90', 0.9), ('92', 0.92), ('94', 0.94),
               ('96', 0.96), ('98', 0.98), ('100', 1.0)) AS c(name, c)
),
-- Chain and anomaly control (counts are one row per run).
-- Gaps only between consecutive blockNos (with forgers' logs missing, the known chain
-- blocks need not be consecutive) and only when the chain is complete.
chain_gaps AS (
  SELECT g.run_id, 'block_gap_s' AS metric, g.value, g.t
  FROM (SELECT run_id, slot_t AS t,
               CASE WHEN block_no - lag(block_no) OVER w = 1
                    THEN (slot_t - lag(slot_t) OVER w) / 1e6 END AS value
        FROM fct_chain WINDOW w AS (PARTITION BY run_id ORDER BY block_no, slot)) AS g
  JOIN fct_chain_status AS st USING (run_id)
  WHERE st.undecided = 0 AND st.contradictions = 0
),
-- Lines dated outside the run's extent count neither in the span nor in the lines.
-- Canonical events are read line by line (from the ev_* tables: only their times are
-- needed, not the node the `events` view joins in); the messages stored only as counts (no
-- event, or mempool: ev_map family 'count') by their msg_counts rows, per file, message and
-- hour: an hour wholly outside the extent is outside, its first and last time inside it
-- reach the span.
span_events AS (
  SELECT s.run_id,
         min(x.t) FILTER (WHERE x.t BETWEEN s.lo_us AND s.hi_us) AS first_us,
         max(x.t) FILTER (WHERE x.t BETWEEN s.lo_us AND s.hi_us) AS last_us,
         count(*) FILTER (WHERE NOT x.t BETWEEN s.lo_us AND s.hi_us) AS outside
  FROM (SELECT run_id, epoch_us("at") AS t FROM ev_resources
        UNION ALL SELECT run_id, epoch_us("at") FROM ev_slot
        UNION ALL SELECT run_id, epoch_us("at") FROM ev_block) AS x
  JOIN sel_runs AS s USING (run_id)
  GROUP BY s.run_id
),
span_counted AS (
  SELECT s.run_id,
         least(min(epoch_us(m.first_at)) FILTER (WHERE epoch_us(m.first_at) BETWEEN s.lo_us AND s.hi_us),
               min(epoch_us(m.last_at)) FILTER (WHERE epoch_us(m.last_at) BETWEEN s.lo_us AND s.hi_us)) AS first_us,
         greatest(max(epoch_us(m.first_at)) FILTER (WHERE epoch_us(m.first_at) BETWEEN s.lo_us AND s.hi_us),
                  max(epoch_us(m.last_at)) FILTER (WHERE epoch_us(m.last_at) BETWEEN s.lo_us AND s.hi_us)) AS last_us,
         sum(m.n) FILTER (WHERE epoch_us(m.last_at) < s.lo_us OR epoch_us(m.first_at) > s.hi_us) AS outside
  FROM msg_counts AS m JOIN sel_runs AS s USING (run_id)
  WHERE coalesce(m.ev, 'mempool') = 'mempool'
  GROUP BY s.run_id
),
counts AS (
  SELECT s.run_id,
         (SELECT count(*) FROM fct_forged f WHERE f.run_id = s.run_id)::DOUBLE AS blocks_forged,
         -- Unknown while the logs leave a forged block undecided (40_fct_chain_members).
         (SELECT CASE WHEN st.undecided = 0 AND st.contradictions = 0 THEN st.on_chain END
          FROM fct_chain_status AS st WHERE st.run_id = s.run_id)::DOUBLE AS blocks_on_chain,
         (SELECT sum(log_lines) FROM files x WHERE x.run_id = s.run_id)::DOUBLE AS log_lines,
         (SELECT sum(malformed) FROM files x WHERE x.run_id = s.run_id)::DOUBLE AS malformed_lines,
         -- span_events, span_counted: the lines inside the run's extent.
         (greatest(e.last_us, m.last_us) - least(e.first_us, m.first_us)) / 1e6 AS span_s,
         coalesce(e.outside, 0)::DOUBLE + coalesce(m.outside, 0)::DOUBLE AS outside,
         s.nodes
  FROM sel_runs AS s
  LEFT JOIN span_events AS e USING (run_id)
  LEFT JOIN span_counted AS m USING (run_id)
),
counts_long AS (
  UNPIVOT (SELECT run_id, blocks_forged, blocks_on_chain,
             CASE WHEN blocks_forged > 0 THEN blocks_on_chain / blocks_forged END AS chained_ratio,
             blocks_forged - blocks_on_chain AS block_battles,
             blocks_forged / nodes AS blocks_per_host,
             log_lines, malformed_lines,
             CASE WHEN span_s > 0 THEN (log_lines - outside) / nodes / span_s END AS log_rate_hz
           FROM counts)
  ON blocks_forged, blocks_on_chain, chained_ratio, block_battles, blocks_per_host, log_lines,
     malformed_lines, log_rate_hz
  INTO NAME metric VALUE value
),
-- Missed slots: per node, slots in the run's [first, last] loop_start slot with no
-- loop_start on that node.
slot_range AS (
  SELECT run_id, min(slot) AS lo, max(slot) AS hi
  FROM stg_slot_events WHERE loop_start IS NOT NULL GROUP BY run_id
),
missed AS (
  SELECT r.run_id, 'missed_slots' AS metric,
         ((r.hi - r.lo + 1) - count(DISTINCT se.slot) FILTER (WHERE se.loop_start IS NOT NULL))::DOUBLE AS value
  FROM slot_range AS r
  JOIN (SELECT DISTINCT run_id, node FROM files) AS n USING (run_id)
  LEFT JOIN stg_slot_events AS se ON se.run_id = n.run_id AND se.node = n.node
  GROUP BY r.run_id, n.node, r.lo, r.hi
),
-- Leadership checks per slot (locli's starts and leads): per node, every slot of the run's
-- [first, last] loop_start slot, with how many loop starts and NodeIsLeader it logged there
-- (0 where none; a node logging both StartLeadershipCheck and …Plus counts 2, as in locli).
slot_checks AS (
  SELECT e.run_id, e.node, e.slot,
         count(*) FILTER (WHERE e.ev = 'loop_start') AS starts,
         count(*) FILTER (WHERE e.ev = 'leader') AS leads
  FROM events AS e JOIN sel_runs AS r USING (run_id)
  WHERE e.ev IN ('loop_start', 'leader') AND e.slot BETWEEN r.slot_lo AND r.slot_hi
    AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
  GROUP BY ALL
),
-- Every slot of a node from the first to the last it started a loop or led in: loop starts are
-- counted over the loop starts' own range (slot_range), leads over all of it, since a node
-- whose leadership checks are not logged (or not all) still led there.
lead_range AS (
  SELECT run_id, min(slot) AS lo, max(slot) AS hi
  FROM (SELECT run_id, lo AS slot FROM slot_range UNION ALL SELECT run_id, hi FROM slot_range
        UNION ALL SELECT run_id, slot FROM slot_checks WHERE leads > 0)
  GROUP BY run_id
),
slot_grid AS (
  SELECT r.run_id, n.node, g.slot, s.start_us + g.slot * s.slot_us AS t,
         g.slot BETWEEN sr.lo AND sr.hi AS in_starts
  FROM lead_range AS r
  LEFT JOIN slot_range AS sr USING (run_id)
  JOIN sel_runs AS s USING (run_id)
  JOIN (SELECT DISTINCT run_id, node FROM files) AS n USING (run_id),
  LATERAL (SELECT unnest(range(r.lo, r.hi + 1)) AS slot) AS g
),
loop_counts AS (
  SELECT g.run_id, g.t, 'loop_starts' AS metric, coalesce(c.starts, 0)::DOUBLE AS value
  FROM slot_grid AS g LEFT JOIN slot_checks AS c USING (run_id, node, slot)
  WHERE g.in_starts
  UNION ALL
  SELECT g.run_id, g.t, 'loop_leads' AS metric, coalesce(c.leads, 0)::DOUBLE AS value
  FROM slot_grid AS g LEFT JOIN slot_checks AS c USING (run_id, node, slot)
),
-- UTxO size and chain density as the node saw them at each loop start (or LedgerMetrics
-- line); 0 means not logged, as locli reads it. Trimmed like resource samples: by the slot
-- of their time, and to the run's extent.
ledger AS (
  UNPIVOT (SELECT e.run_id, epoch_us(e."at") AS t,
                  CASE WHEN e.utxo_size > 0 THEN e.utxo_size::DOUBLE END AS utxo_size,
                  CASE WHEN e.chain_density > 0 THEN e.chain_density END AS chain_density
           FROM events AS e JOIN sel_runs AS r USING (run_id)
           WHERE e.ev IN ('loop_start', 'ledger_metrics') AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
             AND (epoch_us(e."at") - r.start_us) // r.slot_us BETWEEN r.slot_lo AND r.slot_hi
             AND ((epoch_us(e."at") - r.start_us) // r.slot_us) % r.epoch_length BETWEEN r.eps_lo AND r.eps_hi)
  ON utxo_size, chain_density
  INTO NAME metric VALUE value
)
SELECT run_id, metric, value::DOUBLE AS value, t::BIGINT AS t FROM res
UNION ALL SELECT run_id, 'cpu85_span_s', span_s, t_end FROM stg_cpu85_spans
UNION ALL SELECT run_id, metric, value, t FROM forge_long
UNION ALL SELECT run_id, metric, value, t FROM slot_lag
UNION ALL SELECT run_id, metric, value, t FROM peer_long
UNION ALL SELECT run_id, metric, value, t FROM peer_first
UNION ALL SELECT run_id, metric, value, t FROM adoption_long
UNION ALL SELECT run_id, 'block_size_bytes', size::DOUBLE, slot_t FROM fct_chain WHERE size IS NOT NULL
UNION ALL SELECT run_id, metric, value, t FROM chain_gaps WHERE value IS NOT NULL
UNION ALL SELECT run_id, metric, value, NULL FROM counts_long
UNION ALL SELECT run_id, metric, value, NULL FROM missed
UNION ALL SELECT run_id, metric, value, t FROM loop_counts
UNION ALL SELECT run_id, metric, value, t FROM ledger
