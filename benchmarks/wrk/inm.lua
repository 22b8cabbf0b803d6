-- GET with If-None-Match set to the file's current ETag, so every answer is a 304 without a body.
-- The ETag differs per server (each has its own format); run.sh fetches it first and passes it as ETAG.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
local etag = os.getenv("ETAG")
if etag == nil or etag == "" then
  error("set ETAG to the file's ETag, e.g. ETAG='\"5f3a-40000000\"'")
end
wrk.headers["If-None-Match"] = etag
