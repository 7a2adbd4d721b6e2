-- disable_user.sql - disables a user: every key of theirs is refused (401)
-- within 5 seconds. Their functions and keys are kept; enable_user.sql
-- undoes it.
-- in:  @user (name)
-- (inputs in the table's collation, whatever the client's)
SET @user = CONVERT(@user USING utf8mb4) COLLATE utf8mb4_unicode_ci;
UPDATE users SET disabled_at = CURRENT_TIMESTAMP(3)
WHERE name = @user AND disabled_at IS NULL;
SELECT ROW_COUNT() AS disabled;
