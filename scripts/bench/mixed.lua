-- wrk script: POST /api/execute, cycling through every catalog function's
-- example (the mixed-catalog load of scripts/benchmark.sh).
--
--   wrk ... -s scripts/bench/mixed.lua URL -- BODIES_FILE
--
-- BODIES_FILE holds one request body per line,
-- {"function": name, "input": example input}, which benchmark.sh writes
-- from GET /api/functions (sleep and the network functions left out). The
-- requests are formatted once per thread in init(); each thread then sends
-- them in turn, starting at its own offset so the threads do not move in
-- step through the catalog.
local requests = {}
local next_i = 1

local thread_no = 0
function setup(thread)
	thread_no = thread_no + 1
	thread:set("offset", thread_no)
end

function init(args)
	local path = args[1]
	if path == nil then
		error("mixed.lua: pass the bodies file after --")
	end
	local f = assert(io.open(path, "r"))
	local headers = {["Content-Type"] = "application/json"}
	for line in f:lines() do
		if line ~= "" then
			requests[#requests + 1] =
				wrk.format("POST", nil, headers, line)
		end
	end
	f:close()
	if #requests == 0 then
		error("mixed.lua: no request bodies in " .. path)
	end
	next_i = ((offset or 1) * 7 - 1) % #requests + 1
end

function request()
	local r = requests[next_i]
	next_i = next_i % #requests + 1
	return r
end
