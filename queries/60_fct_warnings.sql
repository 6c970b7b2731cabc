-- What the selected runs' logs cannot answer or look wrong in (DESIGN §6 `warnings`), one
-- row per run and code, with one sentence for people. Reads sel_runs, events, msg_counts, files,
-- stg_resources, stg_block_events, fct_forged, fct_chain_status. Rules (docs/metrics.md):
--   chain-incomplete    forged blocks the logs cannot place on or off the chain (40_fct_chain_members)
--   clock-skew          a node whose median first sight of a block (header, fetch or
--                       adoption) precedes the block's forging: no message arrives before it
--                       is sent, so that node's clock is behind the forgers'
--   no-resources        nodes without a single Resources sample
--   events-outside-run  lines dated outside the run's extent (20_sel_runs), left out of timings
--   counter-jump        resource pairs dropped for an absurd counter rise (30_stg_resources)
--   out-of-range        numbers no real field holds, read as missing: a slot beyond max_slot,
--                       a memory gauge below 0 or above 1 PiB
WITH
chain AS (
  SELECT run_id, 'chain-incomplete' AS code,
         CASE WHEN undecided > 0 AND undecided_switch = 0 THEN
           printf('%d of %d forged blocks are neither on the chain nor lost by any log''s evidence (the blocks linking them to the chain were forged by nodes whose logs are missing, and no node''s AddedToCurrentChain or SwitchedToAFork decides them), so blocks_on_chain, chained_ratio, block_battles and block_gap_s are unknown.', undecided, forged)
         WHEN undecided > 0 AND undecided_switch = undecided THEN
           printf('%d of %d forged blocks are neither on the chain nor lost: a node took each as its tip and then switched forks (SwitchedToAFork) within k blocks of it, and its logs do not show how deep the switch rolled back (the forger''s log is there; a fork switch deeper than the logs show), so blocks_on_chain, chained_ratio, block_battles and block_gap_s are unknown.', undecided, forged)
         WHEN undecided > 0 THEN
           printf('%d of %d forged blocks are neither on the chain nor lost: %d because a node switched forks within k blocks of them and its logs do not show how deep the switch rolled back, %d because the blocks linking them to the chain were forged by nodes whose logs are missing, so blocks_on_chain, chained_ratio, block_battles and block_gap_s are unknown.', undecided, forged, undecided_switch, undecided - undecided_switch)
         ELSE
           printf('the logs put %d pairs of blocks on the chain at one slot or blockNo, which no chain holds, so blocks_on_chain, chained_ratio, block_battles and block_gap_s are unknown.', contradictions)
         END AS message
  FROM fct_chain_status WHERE undecided > 0 OR contradictions > 0
),
first_sight AS (
  SELECT x.run_id, x.node, x.block, min(x.t) - any_value(f.forged_t) AS lead_us
  FROM stg_block_events AS x JOIN fct_forged AS f USING (run_id, block)
  WHERE x.ev IN ('header_seen', 'fetch_request', 'fetched', 'adopted') AND x.node <> f.forger
  GROUP BY x.run_id, x.node, x.block
),
skew AS (
  SELECT run_id, 'clock-skew' AS code,
         printf('%s sees blocks before they are forged (%s), so its clock is behind the forgers'' and its propagation times are off by as much.',
                CASE WHEN count(*) = 1 THEN 'one node' ELSE printf('%d nodes', count(*)) END,
                string_agg(printf('%s by %.3f s, median over %d block%s', node, -med / 1e6, n, CASE WHEN n = 1 THEN '' ELSE 's' END), '; ' ORDER BY node)) AS message
  FROM (SELECT run_id, node, median(lead_us) AS med, count(*) AS n FROM first_sight GROUP BY run_id, node)
  WHERE med < 0
  GROUP BY run_id
),
nodes AS (SELECT DISTINCT f.run_id, f.node FROM files AS f JOIN sel_runs USING (run_id)),
silent AS (
  SELECT n.run_id, 'no-resources' AS code,
         CASE WHEN count(*) = any_value(s.nodes)
              THEN 'no node logged a Resources sample, so every resource metric is unknown.'
              ELSE printf('%s logged no Resources sample, so the resource metrics come from the other nodes only.', string_agg(n.node, ', ' ORDER BY n.node))
         END AS message
  FROM nodes AS n JOIN sel_runs AS s USING (run_id)
  WHERE NOT EXISTS (SELECT 1 FROM events AS e WHERE e.run_id = n.run_id AND e.node = n.node AND e.ev = 'resources')
  GROUP BY n.run_id
),
outside AS (
  -- Canonical events line by line; messages stored only as counts by the hours of msg_counts
  -- wholly outside the extent (50_fct_samples.sql reads them the same way).
  SELECT o.run_id, 'events-outside-run' AS code,
         printf('%d log lines are dated outside the run (before %s or after %s, e.g. %s), so they are left out of every timing and of log_rate_hz.',
                sum(o.n)::BIGINT, strftime(make_timestamp(any_value(s.lo_us)), '%Y-%m-%dT%H:%M:%SZ'),
                strftime(make_timestamp(any_value(s.hi_us)), '%Y-%m-%dT%H:%M:%SZ'),
                strftime(max(o."at"), '%Y-%m-%dT%H:%M:%SZ')) AS message
  FROM (SELECT e.run_id, 1 AS n, e."at" FROM events AS e JOIN sel_runs AS s USING (run_id)
        WHERE NOT epoch_us(e."at") BETWEEN s.lo_us AND s.hi_us
        UNION ALL
        SELECT m.run_id, m.n, m.last_at FROM msg_counts AS m JOIN sel_runs AS s USING (run_id)
        WHERE coalesce(m.ev, 'mempool') = 'mempool'
          AND (epoch_us(m.last_at) < s.lo_us OR epoch_us(m.first_at) > s.hi_us)) AS o
  JOIN sel_runs AS s USING (run_id)
  GROUP BY o.run_id
),
jumps AS (
  SELECT run_id, 'counter-jump' AS code,
         printf('%d resource samples show a counter rise no node can make (over 100 cores, 1 TB/s or a million GCs a second since the previous sample), so those sample pairs give no rate.', count(*)) AS message
  FROM stg_resources WHERE jump GROUP BY run_id
),
ranges AS (
  SELECT e.run_id, 'out-of-range' AS code,
         printf('%d fields hold numbers out of range (%s), so they are read as missing.', count(*),
                string_agg(DISTINCT CASE WHEN e.slot NOT BETWEEN 0 AND s.max_slot THEN 'slot beyond 1000 years'
                                         ELSE 'memory gauge below 0 or above 1 PiB' END, ', ')) AS message
  FROM events AS e JOIN sel_runs AS s USING (run_id)
  WHERE e.slot NOT BETWEEN 0 AND s.max_slot
     OR (e.ev = 'resources' AND (e.rss NOT BETWEEN 0 AND 1125899906842624
                                 OR e.heap NOT BETWEEN 0 AND 1125899906842624
                                 OR e.live NOT BETWEEN 0 AND 1125899906842624))
  GROUP BY e.run_id
)
SELECT w.run_id, s.tag, w.code, w.message
FROM (SELECT * FROM chain UNION ALL SELECT * FROM skew UNION ALL SELECT * FROM silent
      UNION ALL SELECT * FROM outside UNION ALL SELECT * FROM jumps UNION ALL SELECT * FROM ranges) AS w
JOIN sel_runs AS s USING (run_id)
ORDER BY w.run_id, w.code
