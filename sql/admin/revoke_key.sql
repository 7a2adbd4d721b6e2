-- revoke_key.sql - revokes a key by the prefix people see (its first 13
-- characters, e.g. sopm_1a2b3c4d). The pool refuses it within 5 seconds.
-- in:  @prefix
-- out: one row: revoked (the number of keys revoked)
-- (inputs in the table's collation, whatever the client's)
SET @prefix = CONVERT(@prefix USING ascii) COLLATE ascii_bin;
UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP(3)
WHERE prefix = @prefix AND revoked_at IS NULL;
SELECT ROW_COUNT() AS revoked;
