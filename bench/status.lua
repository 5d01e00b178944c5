-- wrk script: counts responses that are not 200 (a 429 or 304 would make the comparison meaningless).
local threads = {}
non200 = 0

-- Each wrk thread runs its own copy of this script; done() runs in another and reads theirs through thread:get.
setup = function(thread)
  table.insert(threads, thread)
end

response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non200") end
  io.write(string.format("non-200 responses: %d\n", total))
end
