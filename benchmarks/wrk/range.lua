-- GET of one random byte range per request, like a player seeking or a CDN filling its cache.
--   FILE_SIZE   size of the file in bytes (required)
--   RANGE_SIZE  bytes per range, default 65536
-- Offsets are uniform over the file and not aligned, so the page cache and sendfile see arbitrary offsets.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local file_size, range_size, path
function init(args)
  file_size = tonumber(os.getenv("FILE_SIZE") or "")
  range_size = tonumber(os.getenv("RANGE_SIZE") or "65536")
  if file_size == nil or file_size < range_size then
    error("set FILE_SIZE to the file's size in bytes (at least RANGE_SIZE)")
  end
  -- Each thread has its own Lua state: seed each differently so threads do not request the same ranges.
  math.randomseed(os.time() * 7919 + (thread_number or 0) * 104729)
  path = wrk.path
end

function request()
  local first = math.random(0, file_size - range_size)
  return wrk.format(nil, path, { ["Range"] = string.format("bytes=%d-%d", first, first + range_size - 1) })
end
