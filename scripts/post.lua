-- wrk script for scripts/bench-serve.sh: POSTs the file $BODY with Content-Type $TYPE to /v1/predict and
-- prints one RESULT line (errors = connect, read, write and timeout errors plus non-2xx answers).
wrk.method = "POST"
wrk.path = "/v1/predict"
wrk.headers["Content-Type"] = os.getenv("TYPE")
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = f:read("*all")
f:close()

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.1f per_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout + e.status))
end
