-- disable_function.sql - disables one live function of a user: executing it
-- answers 409 conflict within 5 seconds; it stays listed, with
-- "enabled": false. Set @enabled = TRUE to enable it again.
-- in:  @user (owner's name), @function (function name), @enabled (optional,
--      default FALSE)
-- (inputs in the table's collation, whatever the client's)
SET @user = CONVERT(@user USING utf8mb4) COLLATE utf8mb4_unicode_ci;
SET @function = CONVERT(@function USING ascii) COLLATE ascii_bin;
UPDATE functions f JOIN users u ON u.id = f.user_id
SET f.enabled = COALESCE(@enabled, FALSE)
WHERE u.name = @user AND f.name = @function AND f.deleted_at IS NULL;
SELECT ROW_COUNT() AS changed;
