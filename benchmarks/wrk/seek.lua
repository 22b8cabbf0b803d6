-- MP4 time seeking: GET film.mp4?start=S at a random point, asking for the first 64 KiB of the output, which
-- is what a player fetches first (ftyp + the rewritten moov + the start of the media). Measures the cost of
-- building the seek output (index parse or cache, moov rewrite), not of streaming the rest.
--   MEDIA_SECONDS  latest start, in seconds (required)
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local seconds, path
function init(args)
  seconds = tonumber(os.getenv("MEDIA_SECONDS") or "")
  if seconds == nil then
    error("set MEDIA_SECONDS to the latest start in seconds")
  end
  math.randomseed(os.time() * 7919 + (thread_number or 0) * 104729)
  path = wrk.path
end

function request()
  local start = math.random(0, seconds * 1000) / 1000
  return wrk.format(nil, string.format("%s?start=%.3f", path, start), { ["Range"] = "bytes=0-65535" })
end
