-- wrk script: cycles through the paths in FEEDS (space-separated; default /feeds/all.rss) and, through status.lua,
-- counts responses that are not 200. Run from the repository's root, as bench/scale.sh does.
dofile("bench/status.lua")

local paths = {}
for path in string.gmatch(os.getenv("FEEDS") or "/feeds/all.rss", "%S+") do table.insert(paths, path) end
local next_path = 0

request = function()
  next_path = next_path % #paths + 1
  return wrk.format(nil, paths[next_path])
end
