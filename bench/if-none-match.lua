-- wrk script: every request revalidates with the ETag given in the ETAG environment variable (expects 304s).
local etag = os.getenv("ETAG")
wrk.headers["If-None-Match"] = etag
local threads = {}
non304 = 0

-- Each wrk thread runs its own copy of this script; done() runs in another and reads theirs through thread:get.
setup = function(thread)
  table.insert(threads, thread)
end

response = function(status, headers, body)
  if status ~= 304 then non304 = non304 + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non304") end
  io.write(string.format("non-304 responses: %d\n", total))
end
