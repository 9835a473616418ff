-- wrk script: POST /search/text cycling through the queries in $QUERIES (one per line) with
-- algorithm $ALGORITHM; prints one JSON line with throughput, errors and latency percentiles.
local queries = {}
local algorithm = os.getenv("ALGORITHM") or "lexical"
for line in io.lines(os.getenv("QUERIES")) do
  if #line > 0 then table.insert(queries, line) end
end
local index = 0

request = function()
  index = index % #queries + 1
  local body = '{"query":"' .. queries[index]:gsub('["\\]', '') .. '","algorithm":"' .. algorithm .. '","top_k":10}'
  return wrk.format("POST", "/search/text", { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"errors":%d,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
