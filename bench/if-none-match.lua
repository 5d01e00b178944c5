-- wrk script: every request revalidates with the ETag given in the ETAG environment variable (expects 304s).
local etag = os.getenv("ETAG")
wrk.headers["If-None-Match"] = etag

local non304 = 0
response = function(status, headers, body)
  if status ~= 304 then non304 = non304 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-304 responses: %d\n", non304))
end
