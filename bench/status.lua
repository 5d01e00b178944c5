-- wrk script: counts responses that are not 200 (a 429 or 304 would make the comparison meaningless).
local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", non200))
end
