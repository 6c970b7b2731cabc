-- Block-level events of the scanned batch (load_scan) into ev_block. Params: $run_id.
--   ids     which field holds the block: blockHash (forger's adoption), head (fetch request),
--           addBlock or block (announcement), newtip (adoption, fork switch), else block;
--           identifiers are the first 64 characters (`<hash>@<slot>` gives the hash and the
--           slot); one that arrives as JSON text (an object or array where text was expected)
--           is NULL, so it never joins another block's events.
--   blockNo a number, or legacy 1.35's {"unBlockNo": n}.
--   delta   chainLengthDelta as logged (legacy only; new tracing does not log it: NULL,
--           unknown). The unitary block filter does not read it (30_stg_block_events.sql).
INSERT INTO ev_block
SELECT $run_id, file_id, "at", ev,
       CASE WHEN ev IN ('adopted', 'switched', 'announced') AND contains(raw_block, '@')
              THEN try_cast(split_part(raw_block, '@', 2) AS BIGINT)
            ELSE d.slot END AS slot,
       CASE WHEN NOT (starts_with(raw_block, '{') OR starts_with(raw_block, '[')) THEN left(raw_block, 64) END,
       CASE WHEN NOT (starts_with(d.blockPrev, '{') OR starts_with(d.blockPrev, '[')) THEN left(d.blockPrev, 64) END,
       CASE WHEN starts_with(d.blockNo, '{') THEN try_cast(json_extract_string(d.blockNo, '$.unBlockNo') AS BIGINT)
            ELSE try_cast(d.blockNo AS BIGINT) END,
       CASE ev WHEN 'adopted_forger' THEN d.blockSize ELSE d.size END,
       CASE ev WHEN 'adopted' THEN d.chainLengthDelta END
FROM (
  SELECT file_id, "at", ev, d,
         CASE ev WHEN 'adopted_forger' THEN d.blockHash
                 WHEN 'fetch_request' THEN d.head
                 WHEN 'announced' THEN coalesce(d.addBlock, d.block)
                 WHEN 'adopted' THEN d.newtip
                 WHEN 'switched' THEN d.newtip
                 ELSE d.block END AS raw_block
  FROM (
    SELECT file_id, "at", ev,
           CASE WHEN d.kind IS NULL AND d.val IS NOT NULL THEN try_cast(d.val AS block_data) ELSE d END AS d
    FROM (SELECT file_id, "at", ev, try_cast(data AS block_data) AS d FROM load_scan WHERE family = 'block')
  )
)
ORDER BY ev, file_id, slot, "at"
