-- wrk's summary as one line: requests/s, p50 and p90 latency in ms, non-2xx/3xx responses.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout
  io.write(string.format("rps=%.1f p50_ms=%.2f p90_ms=%.2f errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000, bad))
end
