# bench-report extract as a Nomad parameterized batch job: one dispatch per run. NOT tested
# in this repository (no Nomad here); the Slurm example next door is. See docs/fanout.md.
#
#   nomad job run extract.nomad.hcl
#   nomad job dispatch -meta name=tracing -meta set=baseline -meta run=legacy/run-1 bench-extract
#
# Meta: `name` groups one comparison's extracts under /shared/<name>/; `set` is baseline or
# candidate; `run` is the run directory relative to the `bench-runs` host volume. Each client
# needs two host volumes (client config `host_volume` blocks): bench-runs (the run logs,
# read-only) and bench-shared (a folder shared by all clients, e.g. NFS), and `bench-report`
# on its PATH (npm install -g, or a Nix profile on the workbench's clients).
job "bench-extract" {
  type        = "batch"
  datacenters = ["*"]

  parameterized {
    payload       = "forbidden"
    meta_required = ["name", "set", "run"]
  }

  group "extract" {
    # A failed extract is reported, not retried behind the user's back: the report waits on it.
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }

    volume "runs" {
      type      = "host"
      source    = "bench-runs"
      read_only = true
    }
    volume "shared" {
      type      = "host"
      source    = "bench-shared"
      read_only = false
    }

    task "extract" {
      driver = "exec"

      volume_mount {
        volume      = "runs"
        destination = "/runs"
        read_only   = true
      }
      volume_mount {
        volume      = "shared"
        destination = "/shared"
      }

      config {
        command = "bench-report"
        args    = ["extract", "/runs/${NOMAD_META_run}", "--out", "/shared/${NOMAD_META_name}/extracts/${NOMAD_META_set}"]
      }

      # The private warehouse goes to the task's own scratch disk, not to the shared folder.
      env {
        TMPDIR = "${NOMAD_TASK_DIR}"
      }

      resources {
        cpu    = 2000 # MHz
        memory = 1536 # MiB: DuckDB's memory_limit is 1 GB, it spills beyond that
      }
    }
  }
}
