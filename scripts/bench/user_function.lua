-- wrk script: POST a user-function call with an API key.
--
--   wrk ... -s scripts/bench/user_function.lua URL/api/user-functions/ID/execute -- KEY_FILE
--
-- The key is read from KEY_FILE (its first line) so that it never shows in
-- a printed command. The body asks for the function's current version.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"input":{"msg":"hello"}}'

function init(args)
	local path = args[1]
	if path == nil then
		error("user_function.lua: pass the key file after --")
	end
	local f = assert(io.open(path, "r"))
	local key = f:read("*l")
	f:close()
	if key == nil or key == "" then
		error("user_function.lua: no key in " .. path)
	end
	wrk.headers["Authorization"] = "Bearer " .. key
end
