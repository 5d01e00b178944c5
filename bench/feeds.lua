-- wrk script: cycles through the paths in FEEDS (space-separated; default /feeds/all.rss) and counts responses that are not 200.
local threads = {}
local paths = {}
for path in string.gmatch(os.getenv("FEEDS") or "/feeds/all.rss", "%S+") do table.insert(paths, path) end
local next_path = 0
non200 = 0

-- Each wrk thread runs its own copy of this script; done() runs in another and reads theirs through thread:get.
setup = function(thread)
  table.insert(threads, thread)
end

request = function()
  next_path = next_path % #paths + 1
  return wrk.format(nil, paths[next_path])
end

response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non200") end
  io.write(string.format("non-200 responses: %d\n", total))
end
