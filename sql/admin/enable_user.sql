-- enable_user.sql - undoes disable_user.sql.
-- in:  @user (name)
-- (inputs in the table's collation, whatever the client's)
SET @user = CONVERT(@user USING utf8mb4) COLLATE utf8mb4_unicode_ci;
UPDATE users SET disabled_at = NULL WHERE name = @user;
SELECT ROW_COUNT() AS enabled;
