-- Plain GET of the URL given to wrk (whole-file and small-file workloads).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
