-- Resources samples of the scanned batch (load_scan) into ev_resources. Params: $run_id.
-- Optional fields default to 0 (DESIGN §2); a field of another type reads as NULL.
INSERT INTO ev_resources
SELECT $run_id, file_id, "at", d.Alloc, d.CentiCpu, d.CentiGC, d.CentiMut, d.CentiBlkIO, d.GcsMajor,
       d.GcsMinor, d.Live, d.RSS, coalesce(d.Heap, 0), d.Threads, coalesce(d.NetRd, 0),
       coalesce(d.NetWr, 0), coalesce(d.FsRd, 0), coalesce(d.FsWr, 0)
FROM (
  SELECT file_id, "at",
         CASE WHEN d.kind IS NULL AND d.val IS NOT NULL THEN try_cast(d.val AS resources_data) ELSE d END AS d
  FROM (SELECT file_id, "at", try_cast(data AS resources_data) AS d FROM load_scan WHERE family = 'resources')
)
