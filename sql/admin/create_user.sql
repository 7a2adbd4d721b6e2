-- create_user.sql - adds a user.
-- in:  @name (required), @email (optional), @is_admin (optional, default FALSE)
-- out: one row: user_id
-- usage: { echo "SET @name = 'alice';"; cat sql/admin/create_user.sql; } | mariadb sopm
-- (inputs in the table's collation, whatever the client's)
SET @name = CONVERT(@name USING utf8mb4) COLLATE utf8mb4_unicode_ci;
SET @email = CONVERT(@email USING utf8mb4) COLLATE utf8mb4_unicode_ci;
INSERT INTO users (name, email, is_admin)
VALUES (@name, @email, COALESCE(@is_admin, FALSE));
SELECT LAST_INSERT_ID() AS user_id;
