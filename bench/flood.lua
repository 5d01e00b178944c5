-- wrk script: an abusive client; every request asks for a filtered view never asked for before (a new ?q=), which the
-- cache cannot hold, so each one needs a rendering unless the rate limit refuses it first. Counts the answers by status.
local path = os.getenv("FLOOD_PATH") or "/feeds/news.rss"
local threads = {}
n = 0
statuses = {}

-- Each wrk thread runs its own copy of this script; done() runs in another and reads theirs through thread:get.
setup = function(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

request = function()
  n = n + 1
  return wrk.format("GET", path .. "?q=flood" .. id .. "x" .. n .. "x" .. math.random(1000000000))
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(totals) do parts[#parts + 1] = status .. ": " .. count end
  table.sort(parts)
  io.write("flood statuses: " .. table.concat(parts, ", ") .. "\n")
end
