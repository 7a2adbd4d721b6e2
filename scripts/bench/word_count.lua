-- wrk script: POST a catalog `word_count` call on a ~200-character text.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"function":"word_count","input":{"text":'
	.. '"The quick brown fox jumps over the lazy dog. '
	.. 'A serverless platform runs small functions on demand, '
	.. 'and the catalog functions answer in microseconds because '
	.. 'they are compiled into the FastCGI workers. The dog sleeps."}}'
