# bench-report report over extracts, as a Nomad parameterized batch job dispatched once all
# extract dispatches of a comparison have completed (dispatch.sh waits for them: Nomad has no
# `afterok` between dispatched jobs). NOT tested in this repository; see docs/fanout.md.
#
#   nomad job run report.nomad.hcl
#   nomad job dispatch -meta name=tracing bench-report
#
# Reads /shared/<name>/extracts/{baseline,candidate}/ and writes /shared/<name>/report/.
job "bench-report" {
  type        = "batch"
  datacenters = ["*"]

  parameterized {
    payload       = "forbidden"
    meta_required = ["name"]
    meta_optional = ["formats"]
  }

  meta {
    formats = "html,json,md"
  }

  group "report" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }

    volume "shared" {
      type      = "host"
      source    = "bench-shared"
      read_only = false
    }

    task "report" {
      driver = "exec"

      volume_mount {
        volume      = "shared"
        destination = "/shared"
      }

      config {
        command = "bench-report"
        args = [
          "report",
          "--baseline", "/shared/${NOMAD_META_name}/extracts/baseline",
          "--candidate", "/shared/${NOMAD_META_name}/extracts/candidate",
          "--out", "/shared/${NOMAD_META_name}/report",
          "--format", "${NOMAD_META_formats}",
          "--db", "${NOMAD_TASK_DIR}/warehouse.duckdb",
        ]
      }

      resources {
        cpu    = 2000
        memory = 2048
      }
    }
  }
}
