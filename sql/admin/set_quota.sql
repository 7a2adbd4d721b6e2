-- set_quota.sql - sets a user's quotas; a NULL (unset) variable keeps the
-- default of sopm.conf (quota.*). Lower or raise: it holds within 5 seconds.
-- in:  @user (name), @rate_per_s (requests per second per key), @burst,
--      @max_concurrency (executions at once), @max_functions (live functions)
-- (inputs in the table's collation, whatever the client's)
SET @user = CONVERT(@user USING utf8mb4) COLLATE utf8mb4_unicode_ci;
INSERT INTO quotas (user_id, rate_per_s, burst, max_concurrency, max_functions)
SELECT id, @rate_per_s, @burst, @max_concurrency, @max_functions
FROM users WHERE name = @user
ON DUPLICATE KEY UPDATE rate_per_s = VALUES(rate_per_s), burst = VALUES(burst),
    max_concurrency = VALUES(max_concurrency),
    max_functions = VALUES(max_functions);
SELECT ROW_COUNT() > 0 AS changed;
