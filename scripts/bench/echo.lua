-- wrk script: POST the catalog `echo` call as JSON.
-- Used for both `POST /api/execute` and the hello-world FastCGI baseline, so
-- the two runs send byte-for-byte the same request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"function":"echo","input":{"msg":"hello"}}'
