-- Resources samples of the scanned batch (load_scan) into ev_resources. Params: $run_id.
-- Optional fields default to 0 (DESIGN §2); a field of another type reads as NULL.
INSERT INTO ev_resources
SELECT $run_id, file_id, "at", d.Alloc, d.CentiCpu, d.CentiGC, d.CentiMut, d.CentiBlkIO, d.GcsMajor,
       d.GcsMinor, d.Live, d.RSS, coalesce(d.Heap, 0), d.Threads, coalesce(d.NetRd, 0),
       coalesce(d.NetWr, 0), coalesce(d.FsRd, 0), coalesce(d.FsWr, 0)
FROM (
  SELECT file_id, "at",
         json_transform(data, '{"Alloc": "BIGINT", "CentiCpu": "BIGINT", "CentiGC": "BIGINT", "CentiMut": "BIGINT",
                                "CentiBlkIO": "BIGINT", "GcsMajor": "BIGINT", "GcsMinor": "BIGINT", "Live": "BIGINT",
                                "RSS": "BIGINT", "Heap": "BIGINT", "Threads": "BIGINT", "NetRd": "BIGINT",
                                "NetWr": "BIGINT", "FsRd": "BIGINT", "FsWr": "BIGINT"}') AS d
  FROM load_scan WHERE family = 'resources'
)
