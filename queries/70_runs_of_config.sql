-- The warehouse's runs of one configuration, for `--noise-from-history`: same profile, tracing
-- backend and effective RTS flags. Reads runs. Params: $profile, $backend (text, '' for none),
-- $rts (the RTS flag list as JSON text, e.g. ["-N2","-A16m"]).
SELECT run_id
FROM runs
WHERE coalesce(info->>'profile', '') = $profile
  AND coalesce(info->>'tracingBackend', '') = $backend
  AND (info->'rtsFlags')::VARCHAR = $rts
ORDER BY run_id
