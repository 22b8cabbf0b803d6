-- Shared by every workload script (loaded with dofile): at the end of a run, prints one machine-readable line
--   RESULT {"requests":..,"bytes":..,"duration_us":..,"p50_us":..,"p99_us":..,...}
-- that benchmarks/run.sh collects. wrk's own summary is printed before it and kept in the logs.

function done(summary, latency, requests)
  local e = summary.errors
  local function pct(p)
    if summary.requests == 0 then return 0 end
    return latency:percentile(p)
  end
  io.write(string.format(
    'RESULT {"requests":%d,"bytes":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.bytes, summary.duration, pct(50), pct(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
