-- wrk script: a well-behaved reader at a modest pace; each connection revalidates the feed with the ETag given in ETAG
-- (304s, which the rate limit never refuses) and waits READER_DELAY_MS between requests, so its latency shows how fast
-- the service answers rather than how long a queue the reader made itself. Counts answers that are not 304.
wrk.headers["If-None-Match"] = os.getenv("ETAG")
local pause = tonumber(os.getenv("READER_DELAY_MS") or "10")
local threads = {}
non304 = 0

-- Each wrk thread runs its own copy of this script; done() runs in another and reads theirs through thread:get.
setup = function(thread)
  table.insert(threads, thread)
end

delay = function()
  return pause
end

response = function(status, headers, body)
  if status ~= 304 then non304 = non304 + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non304") end
  io.write(string.format("reader p50 %.3f ms, p90 %.3f ms, p99 %.3f ms; non-304 responses: %d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, total))
end
