-- Block-level events of the scanned batch (load_scan) into ev_block. Params: $run_id.
-- Which field holds the block: blockHash (forger's adoption), head (fetch request), addBlock
-- or block (announcement), newtip `<hash>@<slot>` (adoption), else block; hashes are the first
-- 64 characters.
INSERT INTO ev_block
SELECT $run_id, file_id, "at", ev,
       CASE ev WHEN 'adopted' THEN try_cast(split_part(d.newtip, '@', 2) AS BIGINT) ELSE d.slot END,
       left(CASE ev WHEN 'adopted_forger' THEN d.blockHash
                    WHEN 'fetch_request' THEN d.head
                    WHEN 'announced' THEN coalesce(d.addBlock, d.block)
                    WHEN 'adopted' THEN d.newtip
                    ELSE d.block END, 64),
       left(d.blockPrev, 64), d.blockNo,
       CASE ev WHEN 'adopted_forger' THEN d.blockSize ELSE d.size END,
       CASE ev WHEN 'adopted' THEN coalesce(d.chainLengthDelta, 1) END
FROM (
  SELECT file_id, "at", ev,
         CASE WHEN d.kind IS NULL AND d.val IS NOT NULL THEN try_cast(d.val AS block_data) ELSE d END AS d
  FROM (SELECT file_id, "at", ev, try_cast(data AS block_data) AS d FROM load_scan WHERE family = 'block')
)
